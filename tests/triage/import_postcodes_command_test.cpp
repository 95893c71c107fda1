// Importing the ONS Postcode Directory CSV into a postcode table.
#include "triage/import_postcodes_command.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "triage/postcode_index.hpp"
#include "triage_scratch_dir.hpp"

namespace {

// The shape of ONSPD: quoted fields, pcd/pcd2/pcds, doterm, lat/long; 99.999999 = no grid ref.
constexpr std::string_view onspd_sample =
    "\"pcd\",\"pcd2\",\"pcds\",\"dointr\",\"doterm\",\"oscty\",\"lat\",\"long\"\r\n"
    "\"LS6 2AB\",\"LS6  2AB\",\"LS6 2AB\",\"198001\",\"\",\"E99999999\",53.819000,-1.571000\r\n"
    "\"LS6 3CD\",\"LS6  3CD\",\"LS6 3CD\",\"198001\",\"\",\"E99999999\",53.821000,-1.569000\r\n"
    "\"LS1 1AA\",\"LS1  1AA\",\"LS1 1AA\",\"198001\",\"200012\",\"E99999999\",53.797000,-1.548000\r\n"
    "\"M1  1AE\",\"M1   1AE\",\"M1 1AE\",\"198001\",\"\",\"E99999999\",53.478000,-2.235000\r\n"
    "\"LS6 9ZZ\",\"LS6  9ZZ\",\"LS6 9ZZ\",\"198001\",\"\",\"E99999999\",99.999999,0.000000\r\n"
    "\"LS7 1XX\",\"LS7  1XX\",\"LS7 1XX\",\"198001\",\"\",\"E99999999\",,\r\n"
    "\"NOTAPC\",\"NOTAPC\",\"NOTAPC\",\"198001\",\"\",\"E99999999\",53.0,-1.0\r\n";

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(import_postcodes_command_test, imports_postcodes_districts_and_areas) {
  triage_test::scratch_dir dir;
  const auto csv = dir.write("ONSPD_SAMPLE.csv", onspd_sample);
  const auto table = dir.path() / "out" / "postcodes.csv";
  std::ostringstream out, err;
  ASSERT_EQ(triage::run_import_postcodes_command({csv.string(), "--out", table.string()}, out, err),
            0)
      << err.str();
  EXPECT_NE(out.str().find("imported 4 postcodes, 3 districts and 2 areas"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("skipped 2 rows without coordinates and 1 rows with an invalid"),
            std::string::npos)
      << out.str();

  const auto index = triage::postcode_index::load(table);
  EXPECT_EQ(index.size(), 4u + 3u + 2u);
  const auto exact = index.lookup("ls6 2ab");
  ASSERT_TRUE(exact);
  EXPECT_FALSE(exact->approximate);
  EXPECT_NEAR(exact->point.lat, 53.819, 1e-5);
  EXPECT_NEAR(exact->point.lon, -1.571, 1e-5);
  // District = mean of its postcodes.
  const auto ls6 = index.resolve("LS6");
  ASSERT_TRUE(ls6);
  EXPECT_NEAR(ls6->lat, 53.820, 1e-5);
  EXPECT_NEAR(ls6->lon, -1.570, 1e-5);
  EXPECT_TRUE(index.resolve("M1 1AE"));
  EXPECT_TRUE(index.resolve("M"));
  // Skipped rows are not in the table.
  EXPECT_FALSE(index.lookup("LS6 9ZZ")->point.lat > 90);
  EXPECT_TRUE(index.lookup("LS6 9ZZ")->approximate);
  EXPECT_EQ(index.lookup("LS7 1XX")->matched, "LS");  // no LS7 district: no row had coordinates
  EXPECT_FALSE(std::filesystem::exists(table.string() + ".tmp"));
}

TEST(import_postcodes_command_test, live_only_skips_terminated_postcodes) {
  triage_test::scratch_dir dir;
  const auto csv = dir.write("onspd.csv", onspd_sample);
  const auto table = dir.path() / "postcodes.csv";
  std::ostringstream out, err;
  ASSERT_EQ(triage::run_import_postcodes_command(
                {csv.string(), "--out", table.string(), "--live-only"}, out, err),
            0)
      << err.str();
  EXPECT_NE(out.str().find("1 terminated"), std::string::npos) << out.str();
  const auto index = triage::postcode_index::load(table);
  EXPECT_TRUE(index.lookup("LS1 1AA")->approximate);  // only the area is left
}

TEST(import_postcodes_command_test, header_without_coordinates_is_refused) {
  triage_test::scratch_dir dir;
  const auto csv = dir.write("bad.csv", "\"pcds\",\"x\",\"y\"\n\"LS6 2AB\",1,2\n");
  std::ostringstream out, err;
  EXPECT_EQ(triage::run_import_postcodes_command({csv.string(), "--out",
                                                  (dir.path() / "t.csv").string()},
                                                 out, err),
            2);
  EXPECT_NE(err.str().find("bad.csv:1: header needs columns pcds, lat and long"),
            std::string::npos)
      << err.str();
}

TEST(import_postcodes_command_test, failed_import_keeps_the_old_table) {
  triage_test::scratch_dir dir;
  const auto table = dir.write("postcodes.csv", "code,lat,lon\nLS,53.8,-1.5\n");
  const auto csv = dir.write("empty.csv", "\"pcds\",\"lat\",\"long\"\n\"LS6 9ZZ\",99.999999,0\n");
  std::ostringstream out, err;
  EXPECT_EQ(triage::run_import_postcodes_command({csv.string(), "--out", table.string()}, out,
                                                 err),
            2);
  EXPECT_NE(err.str().find("no postcodes with coordinates"), std::string::npos) << err.str();
  EXPECT_EQ(read(table), "code,lat,lon\nLS,53.8,-1.5\n");
}

TEST(import_postcodes_command_test, usage_errors) {
  std::ostringstream out, err;
  EXPECT_EQ(triage::run_import_postcodes_command({}, out, err), 2);
  EXPECT_NE(err.str().find("usage"), std::string::npos);
  EXPECT_EQ(triage::run_import_postcodes_command({"/no/such/file.csv"}, out, err), 2);
  EXPECT_NE(err.str().find("cannot open"), std::string::npos);
}

}  // namespace
