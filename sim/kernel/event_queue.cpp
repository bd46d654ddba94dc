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
    payload_.emplace_back();
  }
  const std::uint32_t gen = ++generation_[slot];  // odd/even does not matter; 0 is never used
  Event& ev = payload_[slot];
  ev.handler = handler;
  ev.period_quarters = period_quarters;
  ev.subject = subject;
  ev.arg = arg;
  insert({key, next_seq_++, slot, gen});
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
  while (!heap_.empty() && generation_[heap_.front().slot] != heap_.front().generation) remove_top();
}

std::int64_t EventQueue::next_key() {
  drop_stale_top();
  return heap_.empty() ? std::numeric_limits<std::int64_t>::max() : heap_.front().time_key;
}

bool EventQueue::pop_until(std::int64_t limit, Event& out) {
  drop_stale_top();
  if (heap_.empty()) return false;
  const Entry top = heap_.front();
  if (top.time_key > limit) return false;
  out = payload_[top.slot];
  out.time_key = top.time_key;
  out.seq = top.seq;
  out.slot = top.slot;
  out.generation = top.generation;
  remove_top();
  return true;
}

void EventQueue::complete(const Event& ev) {
  if (generation_[ev.slot] != ev.generation) return;  // cancelled while it ran: slot already freed
  if (ev.period_quarters > 0) {
    insert({ev.time_key + static_cast<std::int64_t>(ev.period_quarters) * 8, next_seq_++, ev.slot, ev.generation});
  } else {
    release(ev.slot);
  }
}

void EventQueue::reserve(std::size_t n) {
  heap_.reserve(n);
  payload_.reserve(n);
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

// The heap is 4-ary: the children of i are 4i + 1 … 4i + 4 (one cache line of entries), so it is
// half as deep as a binary heap and a pop touches fewer lines.
void EventQueue::insert(Entry entry) {
  heap_.push_back(entry);
  std::size_t i = heap_.size() - 1;
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!entry.before(heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = entry;
}

void EventQueue::remove_top() noexcept {
  const Entry moving = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t last = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < last; ++c) {
      if (heap_[c].before(heap_[best])) best = c;
    }
    if (!heap_[best].before(moving)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = moving;
}

}  // namespace aidc
