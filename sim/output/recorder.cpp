#include "aidc/output/recorder.hpp"

namespace aidc {

void Recorder::attach(World& world) {
  const RunSpec& run = world.spec().run;
  quarters_ = run.end.index() >= run.start.index() ? static_cast<std::size_t>(run.end.index() - run.start.index() + 1) : 0;
  world.set_metric_sink(this);
}

std::uint32_t Recorder::intern(std::string_view entity) {
  auto it = name_index_.find(std::string(entity));
  if (it == name_index_.end()) {
    it = name_index_.emplace(std::string(entity), static_cast<std::uint32_t>(names_.size())).first;
    names_.emplace_back(entity);
  }
  return it->second;
}

void Recorder::put(Quarter q, EntityKind kind, std::string_view entity, Metric metric, double value) {
  if (samples_.empty()) first_quarter_ = q.index();
  const auto slot = static_cast<std::size_t>(q.index() - first_quarter_);
  if (quarter_begin_.size() <= slot) {
    // The first quarter's count sizes the rest (later quarters have about as many samples).
    if (quarter_begin_.size() == 1 && quarters_ > 1) samples_.reserve(samples_.size() * quarters_);
    while (quarter_begin_.size() <= slot) quarter_begin_.push_back(samples_.size());
    position_ = 0;
  }
  std::uint32_t id = 0;
  if (position_ < entity_order_.size() && names_[entity_order_[position_]] == entity) {
    id = entity_order_[position_];
  } else {
    id = intern(entity);
    if (position_ < entity_order_.size()) {
      entity_order_[position_] = id;
    } else {
      entity_order_.push_back(id);
    }
  }
  ++position_;
  samples_.push_back({q.index(), kind, metric, id, value});
}

std::optional<double> Recorder::value(Quarter q, EntityKind kind, std::string_view entity, Metric metric) const {
  const auto name = name_index_.find(std::string(entity));
  if (name == name_index_.end() || samples_.empty() || q.index() < first_quarter_) return std::nullopt;
  const auto slot = static_cast<std::size_t>(q.index() - first_quarter_);
  if (slot >= quarter_begin_.size()) return std::nullopt;
  const std::size_t end = slot + 1 < quarter_begin_.size() ? quarter_begin_[slot + 1] : samples_.size();
  for (std::size_t i = quarter_begin_[slot]; i < end; ++i) {
    const Sample& s = samples_[i];
    if (s.kind == kind && s.metric == metric && s.entity == name->second) return s.value;
  }
  return std::nullopt;
}

}  // namespace aidc
