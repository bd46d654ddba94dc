#pragma once
//! The pending-event set: a binary heap of small plain events with a total order.

#include <cstdint>
#include <vector>

#include "aidc/kernel/phase.hpp"
#include "aidc/kernel/quarter.hpp"

namespace aidc {

//! Index of a handler registered with the Simulator.
using HandlerId = std::uint32_t;

//! Identifies one scheduled event (or one recurring series) for cancellation. A slot is
//! reused after its event ends; the generation tells a stale id from the current one.
struct EventId {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  //!< 0 is never issued: a default EventId refers to nothing.
  friend bool operator==(const EventId&, const EventId&) = default;
};

//! One scheduled event: plain data, 48 bytes, no allocation. The two payload words are the
//! domain's (an entity index, an amount index…); the kernel never interprets them.
struct Event {
  std::int64_t time_key = 0;      //!< quarter index * 8 + phase: the first sort key
  std::uint64_t seq = 0;          //!< insertion number: the tie breaker
  HandlerId handler = 0;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::int32_t period_quarters = 0;  //!< > 0: the event recurs every this many quarters
  std::uint64_t subject = 0;      //!< payload word 1
  std::uint64_t arg = 0;          //!< payload word 2

  [[nodiscard]] Quarter quarter() const noexcept { return Quarter::from_index(static_cast<std::int32_t>(time_key >> 3)); }
  [[nodiscard]] Phase phase() const noexcept { return static_cast<Phase>(time_key & 7); }
  [[nodiscard]] EventId id() const noexcept { return {slot, generation}; }
};

//! Sort key of (quarter, phase).
constexpr std::int64_t time_key(Quarter q, Phase p) noexcept {
  return static_cast<std::int64_t>(q.index()) * 8 + static_cast<std::int64_t>(p);
}

// THE EVENT ORDER. Events run in increasing (quarter, phase, seq), where seq is the order in
// which they were inserted. The order must be total and fixed for the simulation to be
// reproducible: two events never compare equal, and nothing (addresses, hash order, thread
// timing) other than these three integers decides which runs first.
constexpr bool runs_before(const Event& a, const Event& b) noexcept {
  return a.time_key != b.time_key ? a.time_key < b.time_key : a.seq < b.seq;
}

//! A 4-ary min-heap with O(1) lazy cancellation. The heap holds 24-byte entries — the order
//! (time_key, seq), the slot and its generation — so sifting compares two integers and moves 24
//! bytes; an event's payload stays in its slot until it is popped. Storage is a few vectors that
//! grow to the peak number of pending events and are then reused: scheduling allocates nothing in
//! steady state. Cost: push and pop O(log n); cancel O(1) (the stale entry is dropped when it
//! reaches the top).
class EventQueue {
 public:
  //! Inserts an event; returns its id. period_quarters > 0 makes it recur until cancelled.
  EventId push(std::int64_t key, HandlerId handler, std::uint64_t subject, std::uint64_t arg,
               std::int32_t period_quarters = 0);
  //! Cancels a pending event (or the rest of a recurring series). False if it is not pending.
  bool cancel(EventId id) noexcept;
  //! True while the event (or series) is pending.
  [[nodiscard]] bool is_pending(EventId id) const noexcept;
  //! Pops the first live event if its time_key <= limit. Returns false if there is none.
  bool pop_until(std::int64_t limit, Event& out);
  //! Must be called after a popped event has run: re-inserts a recurring event (unless it was
  //! cancelled while running) or frees its slot.
  void complete(const Event& ev);
  //! Time key of the first live event, or INT64_MAX when empty.
  [[nodiscard]] std::int64_t next_key();
  //! Number of live (not cancelled) pending events.
  [[nodiscard]] std::size_t size() const noexcept { return live_; }
  [[nodiscard]] bool empty() const noexcept { return live_ == 0; }
  //! Pre-sizes the storage for n pending events.
  void reserve(std::size_t n);
  //! Drops every event; ids issued before become stale.
  void clear() noexcept;

 private:
  struct Entry {
    std::int64_t time_key;
    std::uint64_t seq;
    std::uint32_t slot;
    std::uint32_t generation;
    // The event order (runs_before) on the two keys.
    [[nodiscard]] bool before(const Entry& o) const noexcept {
      return time_key != o.time_key ? time_key < o.time_key : seq < o.seq;
    }
  };
  void insert(Entry entry);
  void drop_stale_top();
  void remove_top() noexcept;
  void release(std::uint32_t slot) noexcept;
  std::vector<Entry> heap_;
  std::vector<Event> payload_;             // per slot: handler, period, subject, arg
  std::vector<std::uint32_t> generation_;  // current generation of each slot
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 0;
  std::size_t live_ = 0;
};

}  // namespace aidc
