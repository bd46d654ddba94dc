#pragma once
//! The lock a process holds on the shard of a sweep it runs, so two processes never write one
//! shard's files at once (two sweeps started on one directory, a task resubmitted while it still
//! runs).

#include <filesystem>
#include <string>

#include "aidc/sweep/shard.hpp"

namespace aidc::sweep {

//! DIR/shard-K-of-N.lock, held from construction to destruction. The file is created with
//! O_CREAT | O_EXCL | O_NOFOLLOW (never through a symbolic link; an existing one is opened with
//! O_NOFOLLOW and must be a regular file) and held with flock(2), which the system releases when
//! its process ends however it ends: a lock left by a process that was killed is taken over.
//! The file names the holder (host, pid, start time) and is removed on release.
class ShardLock {
 public:
  //! Throws std::invalid_argument ("DIR is in use: …, held by pid P on host H since T") if a live
  //! process holds it, and OutputError if it cannot be created.
  ShardLock(const std::filesystem::path& dir, const Shard& shard);
  ~ShardLock();
  ShardLock(const ShardLock&) = delete;
  ShardLock& operator=(const ShardLock&) = delete;

 private:
  std::filesystem::path file_;
  int fd_ = -1;
};

}  // namespace aidc::sweep
