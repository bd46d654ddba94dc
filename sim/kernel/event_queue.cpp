#include "aidc/kernel/event_queue.hpp"

#include <limits>
#include <utility>

namespace aidc {

EventId EventQueue::push(std::int64_t key, HandlerId handler, std::uint64_t subject, std::uint64_t arg,
                         std::int32_t period_quarters) {
  std::uint32_t slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(generation_.size());
    generation_.push_back(0);
  }
  const std::uint32_t gen = ++generation_[slot];  // odd/even does not matter; 0 is never used
  Event ev{key, next_seq_++, handler, slot, gen, period_quarters, subject, arg};
  heap_.push_back(ev);
  sift_up(heap_.size() - 1);
  ++live_;
  return {slot, gen};
}

bool EventQueue::is_pending(EventId id) const noexcept {
  return id.generation != 0 && id.slot < generation_.size() && generation_[id.slot] == id.generation;
}

bool EventQueue::cancel(EventId id) noexcept {
  if (!is_pending(id)) return false;
  release(id.slot);
  return true;
}

void EventQueue::release(std::uint32_t slot) noexcept {
  // Bumping the generation makes the heap entry (if any) stale and the old EventId invalid.
  ++generation_[slot];
  if (generation_[slot] == 0) ++generation_[slot];
  free_slots_.push_back(slot);
  --live_;
}

void EventQueue::drop_stale_top() {
  while (!heap_.empty() && generation_[heap_.front().slot] != heap_.front().generation) {
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
  }
}

std::int64_t EventQueue::next_key() {
  drop_stale_top();
  return heap_.empty() ? std::numeric_limits<std::int64_t>::max() : heap_.front().time_key;
}

bool EventQueue::pop_until(std::int64_t limit, Event& out) {
  drop_stale_top();
  if (heap_.empty() || heap_.front().time_key > limit) return false;
  out = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
  return true;
}

void EventQueue::complete(const Event& ev) {
  if (generation_[ev.slot] != ev.generation) return;  // cancelled while it ran: slot already freed
  if (ev.period_quarters > 0) {
    Event next = ev;
    next.time_key += static_cast<std::int64_t>(ev.period_quarters) * 8;
    next.seq = next_seq_++;
    heap_.push_back(next);
    sift_up(heap_.size() - 1);
  } else {
    release(ev.slot);
  }
}

void EventQueue::reserve(std::size_t n) {
  heap_.reserve(n);
  generation_.reserve(n);
  free_slots_.reserve(n);
}

void EventQueue::clear() noexcept {
  heap_.clear();
  free_slots_.clear();
  for (std::uint32_t s = 0; s < generation_.size(); ++s) {
    ++generation_[s];
    if (generation_[s] == 0) ++generation_[s];
    free_slots_.push_back(s);
  }
  live_ = 0;
}

void EventQueue::sift_up(std::size_t i) noexcept {
  Event moving = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!runs_before(moving, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = moving;
}

void EventQueue::sift_down(std::size_t i) noexcept {
  const std::size_t n = heap_.size();
  Event moving = heap_[i];
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && runs_before(heap_[child + 1], heap_[child])) ++child;
    if (!runs_before(heap_[child], moving)) break;
    heap_[i] = heap_[child];
    i = child;
  }
  heap_[i] = moving;
}

}  // namespace aidc
