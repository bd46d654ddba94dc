#pragma once
//! Records every metric of every quarter of a run, in memory, for the writers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aidc/model/metric.hpp"
#include "aidc/model/world.hpp"

namespace aidc {

//! One recorded value. Entities are interned: `entity` indexes Recorder::entity_names().
struct Sample {
  std::int32_t quarter = 0;  //!< Quarter::index()
  EntityKind kind = EntityKind::global;
  Metric metric = Metric::installed_h100e;
  std::uint32_t entity = 0;
  double value = 0.0;
};

//! A MetricSink that keeps every sample in emission order (24 bytes each). attach() makes it the
//! world's metric sink, so it receives every quarter's checked metrics.
class Recorder final : public MetricSink {
 public:
  //! Records the world's metrics after every record phase; sizes its storage for the horizon.
  void attach(World& world);
  void put(Quarter q, EntityKind kind, std::string_view entity, Metric metric, double value) override;

  [[nodiscard]] const std::vector<Sample>& samples() const noexcept { return samples_; }
  [[nodiscard]] const std::vector<std::string>& entity_names() const noexcept { return names_; }
  //! The value of one series at q, if it was recorded. Cost: O(samples of that quarter).
  [[nodiscard]] std::optional<double> value(Quarter q, EntityKind kind, std::string_view entity, Metric metric) const;

 private:
  std::vector<Sample> samples_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t> name_index_;
  std::vector<std::size_t> quarter_begin_;  // first sample of each recorded quarter
  std::int32_t first_quarter_ = 0;
  std::size_t quarters_ = 0;                // of the attached run's horizon (0: unknown)
  // The world emits its entities in the same order every quarter: the entity of the k-th sample of
  // the last quarter is tried first, so a sample costs one short string comparison, not a lookup.
  std::vector<std::uint32_t> entity_order_;
  std::size_t position_ = 0;                // k within the current quarter
  std::uint32_t intern(std::string_view entity);
};

}  // namespace aidc
