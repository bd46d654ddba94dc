#include "aidc/run/run_directory.hpp"

#include "aidc/kernel/interrupt.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/output/events_jsonl.hpp"
#include "aidc/output/run_files.hpp"
#include "aidc/output/summary.hpp"
#include "aidc/output/timeseries_csv.hpp"
#include "aidc/output/wide_csv.hpp"
#include "aidc/report/html_report.hpp"
#include "aidc/report/key_figures.hpp"
#include "aidc/run/run_data_of.hpp"

namespace aidc {

WrittenRun write_run_directory(const std::filesystem::path& dir, const ScenarioSpec& spec, std::uint64_t seed,
                               const RunResult& result, bool with_report) {
  RunInfo info;
  describe_scenario(info, spec);
  info.seed = seed;
  return write_run_files(dir, std::move(info), result, with_report);
}

WrittenRun write_run_files(const std::filesystem::path& dir, RunInfo info, const RunResult& result, bool with_report,
                           std::span<const ExtraRunFile> extra, const std::function<void(RunData&)>& complete_data) {
  WrittenRun written;
  written.info = std::move(info);
  RunInfo& run_info = written.info;
  run_info.events_executed = result.events_executed;
  run_info.wall_seconds = result.wall_seconds;
  const auto wide = format_wide_csvs(result.recorder);
  run_info.outputs = {std::string(run_files::timeseries_csv), std::string(run_files::events_jsonl)};
  for (const auto& w : wide) run_info.outputs.push_back(w.file_name);
  for (const auto& e : extra) run_info.outputs.emplace_back(e.name);
  if (with_report) run_info.outputs.emplace_back(run_files::report_html);

  ensure_output_directory(dir);
  StagedFiles files(dir);
  const auto stage = [&](std::string_view name, const auto& format) {
    throw_if_interrupted("writing " + (dir / name).string());
    files.write(std::string(name), format());
  };
  stage(run_files::timeseries_csv, [&] { return format_timeseries_csv(result.recorder); });
  stage(run_files::events_jsonl, [&] { return format_events_jsonl(result.events.events()); });
  for (const auto& w : wide) stage(w.file_name, [&]() -> std::string_view { return w.content; });
  for (const auto& e : extra) stage(e.name, e.format);
  stage(run_files::run_json, [&] { return format_run_json(run_info); });
  written.data = run_data_of(result, run_info);
  if (complete_data) complete_data(written.data);
  written.data.dir = dir;
  if (with_report) stage(run_files::report_html, [&] { return format_report_html(written.data); });
  throw_if_interrupted("writing " + dir.string());
  files.commit();
  return written;
}

std::string format_run_text(const ScenarioSpec& spec, const RunResult& result, const WrittenRun& written,
                            const std::filesystem::path& dir, bool with_report) {
  std::string out = spec.name + " (" + spec.source + "), seed " + std::to_string(written.info.seed) + ", " +
                    written.info.start + ".." + written.info.end + "\n\n" +
                    format_summary(result.recorder, spec.run.start, spec.run.end) + '\n' +
                    format_key_moments_text(key_figures(written.data)) + "\nwrote";
  for (const auto& f : written.info.outputs) out += ' ' + f;
  out += " and run.json in " + dir.string() + '\n';
  if (!with_report) out += "report: aidcsim report " + dir.string() + '\n';
  return out;
}

}  // namespace aidc
