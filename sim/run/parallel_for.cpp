#include "aidc/run/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace aidc {

void parallel_for(std::size_t n, std::size_t jobs, const std::function<void(std::size_t)>& work) {
  std::vector<std::exception_ptr> failures(n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) {
      if (failed.load()) return;  // the calls not yet started are skipped
      try {
        work(i);
      } catch (...) {
        failures[i] = std::current_exception();
        failed = true;
      }
    }
  };
  const std::size_t threads = std::max<std::size_t>(1, std::min(jobs, n));
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  for (const auto& f : failures) {
    if (f) std::rethrow_exception(f);
  }
}

}  // namespace aidc
