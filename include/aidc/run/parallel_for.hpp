#pragma once
//! The runs of an ensemble spread over threads.

#include <cstddef>
#include <functional>

namespace aidc {

//! Calls work(i) for i = 0 … n − 1 on up to `jobs` threads (at least one; in this thread when one
//! is enough). Once a call throws, the calls not yet started are skipped; then the exception of
//! the smallest i that threw is rethrown. Results are the caller's to place by index, so they do
//! not depend on the threads.
void parallel_for(std::size_t n, std::size_t jobs, const std::function<void(std::size_t)>& work);

}  // namespace aidc
