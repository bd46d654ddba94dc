#include "aidc/output/recorder.hpp"

namespace aidc {

void Recorder::attach(Simulator& sim, const World& world) {
  sim.on_after_phase([this, &world](Quarter, Phase phase) {
    if (phase == Phase::record) world.report(*this);
  });
}

void Recorder::put(Quarter q, EntityKind kind, std::string_view entity, Metric metric, double value) {
  if (samples_.empty()) first_quarter_ = q.index();
  const auto slot = static_cast<std::size_t>(q.index() - first_quarter_);
  while (quarter_begin_.size() <= slot) quarter_begin_.push_back(samples_.size());
  auto it = name_index_.find(std::string(entity));
  if (it == name_index_.end()) {
    it = name_index_.emplace(std::string(entity), static_cast<std::uint32_t>(names_.size())).first;
    names_.emplace_back(entity);
  }
  samples_.push_back({q.index(), kind, metric, it->second, value});
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
