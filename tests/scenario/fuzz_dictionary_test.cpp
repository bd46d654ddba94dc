// tests/fuzz/scenario.dict, the fuzzers' dictionary, names every key and fixed choice of the
// scenario language: a key added to the schema is added there too.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "aidc/scenario/schema.hpp"
#include "../test_files.hpp"

namespace aidc {
namespace {

TEST(FuzzDictionary, NamesEveryKeyAndChoiceOfTheSchema) {
  const std::string dict = test::read(std::filesystem::path(AIDC_SOURCE_DIR) / "tests" / "fuzz" / "scenario.dict");
  ASSERT_FALSE(dict.empty());
  for (const auto& section : scenario_schema()) {
    for (const auto& param : section.params) {
      EXPECT_NE(dict.find("\n\"" + param.key + ": \"\n"), std::string::npos)
          << "add \"" << param.key << ": \" (of " << section.path << ") to tests/fuzz/scenario.dict";
      for (const auto& choice : param.choices) {
        EXPECT_NE(dict.find("\n\"" + choice + "\"\n"), std::string::npos)
            << "add \"" << choice << "\" (a choice of " << section.path << "." << param.key
            << ") to tests/fuzz/scenario.dict";
      }
    }
  }
}

}  // namespace
}  // namespace aidc
