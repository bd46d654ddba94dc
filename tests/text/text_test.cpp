// The text toolkit: CSV fields written and read back (RFC 4180 quoting, formula prefixes
// neutralized in text, never in numbers), numbers, key paths, whole files with a size limit.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aidc/text/csv.hpp"
#include "aidc/text/key_path.hpp"
#include "aidc/text/number.hpp"
#include "aidc/text/text_file.hpp"

namespace aidc {
namespace {

TEST(Csv, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(csv_field("us-east"), "us-east");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

TEST(Csv, NeutralizesFormulaPrefixesInTextButNeverInNumbers) {
  EXPECT_EQ(csv_field("=1+2"), "\"'=1+2\"");
  EXPECT_EQ(csv_field("+cmd"), "\"'+cmd\"");
  EXPECT_EQ(csv_field("-x,y"), "\"'-x,y\"");
  EXPECT_EQ(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(csv_field("'quoted"), "\"''quoted\"");
  EXPECT_EQ(csv_field("-0.5"), "-0.5");
  EXPECT_EQ(csv_field("+3"), "+3");
  EXPECT_EQ(csv_field("-2e6"), "-2e6");
  EXPECT_EQ(csv_field("-221k"), "-221k");
}

TEST(Csv, FieldsReadBackAsWritten) {
  const std::vector<std::string> texts = {"plain", "", "a,b", "say \"hi\"", "=1+2", "-x", "@y", "'q", "''r", "-0.5",
                                          "it's", "'hello"};
  std::string line;
  for (const auto& t : texts) line += (line.empty() ? "" : ",") + csv_field(t);
  CsvProblem problem;
  const auto fields = split_csv_line(line, problem);
  ASSERT_TRUE(fields) << problem.message;
  ASSERT_EQ(fields->size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ((*fields)[i].text, texts[i]) << i;
  EXPECT_EQ((*fields)[1].column, 7);
}

TEST(Csv, MalformedQuotingIsAProblemAtItsColumn) {
  CsvProblem problem;
  EXPECT_FALSE(split_csv_line("a,\"open", problem));
  EXPECT_EQ(problem.column, 3);
  EXPECT_EQ(problem.message, "unterminated quoted field; expected a closing '\"'");
  EXPECT_FALSE(split_csv_line("\"a\"b,c", problem));
  EXPECT_EQ(problem.column, 4);
  EXPECT_EQ(problem.message, "unexpected 'b' after a quoted field; expected ','");
}

TEST(Number, InputNumbersTakeMagnitudeSuffixes) {
  EXPECT_EQ(parse_number("221k"), 221e3);
  EXPECT_EQ(parse_number("1.5M"), 1.5e6);
  EXPECT_EQ(parse_number("-2B"), -2e9);
  EXPECT_EQ(parse_number("3T"), 3e12);
  EXPECT_EQ(parse_number("2e6"), 2e6);
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("k"));
  EXPECT_FALSE(parse_number("5 k"));
  EXPECT_FALSE(parse_number(" 5"));
  EXPECT_FALSE(parse_number("inf"));
  EXPECT_FALSE(parse_number("1e400"));
  EXPECT_EQ(parse_decimal("0.1"), 0.1);
  EXPECT_FALSE(parse_decimal("1k"));
  EXPECT_EQ(parse_whole("18446744073709551615"), 18446744073709551615ULL);
  EXPECT_FALSE(parse_whole("-1"));
  EXPECT_FALSE(parse_whole("1.0"));
}

TEST(KeyPath, ParsesEveryForm) {
  const auto p = parse_key_path("agents[meta].new_site.capacity");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 3U);
  EXPECT_EQ((*p)[0].key, "agents");
  EXPECT_EQ((*p)[0].selector, "meta");
  EXPECT_EQ((*p)[2].key, "capacity");
  EXPECT_FALSE((*p)[2].selector);
  EXPECT_EQ(parse_key_path("demand[0].growth")->front().selector, "0");
  EXPECT_EQ(parse_key_path("agents.meta.cash")->size(), 3U);
  for (const char* bad : {"", ".", "a.", ".a", "a..b", "a[]", "a[x", "a[x]b", "a[x]."}) {
    EXPECT_FALSE(parse_key_path(bad)) << bad;
  }
}

TEST(KeyPath, SelectorsAndTheEndOfAnAssignmentsPath) {
  const auto p = parse_key_path("agents[kind=hyperscaler].cash");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->front().selector, "kind=hyperscaler");
  EXPECT_TRUE(is_multi_selector("*"));
  EXPECT_TRUE(is_multi_selector("kind=lab"));
  EXPECT_FALSE(is_multi_selector("meta"));
  EXPECT_EQ(assignment_split("agents[kind=lab].cash=5"), 21U);
  EXPECT_EQ(assignment_split("events+={name: x}"), 6U);
  EXPECT_EQ(assignment_split("run.end=2030Q4"), 7U);
  EXPECT_EQ(assignment_split("agents[kind=lab].cash"), std::string_view::npos);
}

TEST(TextFile, ReadsWholeFilesUpToTheLimit) {
  const auto dir = std::filesystem::path(AIDC_BINARY_DIR) / "test-tmp" / "text-file";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "small.txt") << "hello\n";
  const TextFileKind kind{"a test file", "test files"};
  std::string problem;
  EXPECT_EQ(read_text_file(dir / "small.txt", 6, kind, problem), "hello\n");
  EXPECT_FALSE(read_text_file(dir / "small.txt", 5, kind, problem));
  EXPECT_EQ(problem, "is more than 0 MiB; test files are limited to 0 MiB");
  EXPECT_FALSE(read_text_file(dir / "none.txt", 5, kind, problem));
  EXPECT_EQ(problem, "no such file; expected a test file");
  EXPECT_FALSE(read_text_file(dir, 5, kind, problem));
  EXPECT_EQ(problem, "is a directory; expected a test file");
}

}  // namespace
}  // namespace aidc
