// Resolving UK postcodes, districts, areas and towns to coordinates.
#include "triage/postcode_index.hpp"

#include <gtest/gtest.h>

#include "test_paths.hpp"
#include "triage/content_error.hpp"
#include "triage/uk_postcode.hpp"
#include "triage_scratch_dir.hpp"

namespace {

using triage::postcode_index;

const postcode_index& shipped() {
  static const postcode_index index = postcode_index::load(
      test_support::source_dir() / "content" / "postcodes" / "uk_outcodes.csv");
  return index;
}

TEST(uk_postcode_test, parses_full_district_and_area) {
  auto p = triage::parse_uk_postcode(" ls6 2ab ");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->precision, triage::uk_postcode::level::full);
  EXPECT_EQ(p->full, "LS6 2AB");
  EXPECT_EQ(p->district, "LS6");
  EXPECT_EQ(p->area, "LS");
  p = triage::parse_uk_postcode("SW1A1AA");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->full, "SW1A 1AA");
  EXPECT_EQ(p->district, "SW1A");
  p = triage::parse_uk_postcode("b1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->precision, triage::uk_postcode::level::district);
  EXPECT_EQ(p->area, "B");
  p = triage::parse_uk_postcode("Ls");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->precision, triage::uk_postcode::level::area);
  EXPECT_FALSE(triage::parse_uk_postcode("LEEDS"));
  EXPECT_FALSE(triage::parse_uk_postcode("LS6 2AB; DROP"));
  EXPECT_FALSE(triage::parse_uk_postcode(""));
  EXPECT_FALSE(triage::parse_uk_postcode("123"));
}

TEST(postcode_index_test, shipped_table_has_every_area_and_the_big_cities) {
  // All 124 postcode areas (121 in the UK plus GY, JE, IM).
  const std::vector<std::string> areas{
      "AB", "AL", "B",  "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB", "CF",
      "CH", "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT",
      "DY", "E",  "EC", "EH", "EN", "EX", "FK", "FY", "G",  "GL", "GU", "GY", "HA", "HD", "HG",
      "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW", "KY", "L",
      "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M",  "ME", "MK", "ML", "N",  "NE", "NG", "NN",
      "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S",
      "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA",
      "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W",  "WA", "WC", "WD", "WF", "WN", "WR",
      "WS", "WV", "YO", "ZE"};
  ASSERT_EQ(areas.size(), 124u);
  for (const auto& a : areas) {
    const auto m = shipped().lookup(a);
    ASSERT_TRUE(m) << a;
    EXPECT_FALSE(m->approximate) << a;
    // Every area centroid is within the British Isles.
    EXPECT_GT(m->point.lat, 49.0) << a;
    EXPECT_LT(m->point.lat, 61.0) << a;
    EXPECT_GT(m->point.lon, -8.5) << a;
    EXPECT_LT(m->point.lon, 2.0) << a;
  }
  for (int i = 1; i <= 29; ++i) {
    const auto m = shipped().lookup("LS" + std::to_string(i));
    ASSERT_TRUE(m) << "LS" << i;
    EXPECT_FALSE(m->approximate) << "LS" << i;
  }
  for (const char* d : {"M1", "B1", "BS1", "G1", "EH1", "CF10", "BT1", "E1", "SW1", "N1", "SE1",
                        "W1", "WC1", "EC1", "NW1"}) {
    const auto m = shipped().lookup(d);
    ASSERT_TRUE(m) << d;
    EXPECT_FALSE(m->approximate) << d;
  }
  EXPECT_GT(shipped().size(), 600u);
}

TEST(postcode_index_test, district_centroids_are_near_their_area) {
  // A district of the table more than 60 km from its area's centre is a typo in the table.
  std::size_t checked = 0;
  for (const char* d : {"LS6", "LS29", "M90", "B79", "BS35", "G83", "EH42", "CF47", "BT19", "E4",
                        "SE28", "NR1", "AB25", "IV2", "TR1"}) {
    const auto district = shipped().resolve(d);
    const auto area = shipped().resolve(triage::parse_uk_postcode(d)->area);
    ASSERT_TRUE(district && area) << d;
    EXPECT_LT(triage::distance_km(*district, *area), 60.0) << d;
    ++checked;
  }
  EXPECT_EQ(checked, 15u);
}

TEST(postcode_index_test, full_postcode_falls_back_to_district) {
  const auto m = shipped().lookup("LS6 2AB");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->matched, "LS6");
  EXPECT_TRUE(m->approximate);
  const auto ls6 = shipped().resolve("LS6");
  ASSERT_TRUE(ls6);
  EXPECT_EQ(m->point.lat, ls6->lat);
  EXPECT_EQ(m->point.lon, ls6->lon);
}

TEST(postcode_index_test, case_and_spaces_do_not_matter) {
  const auto a = shipped().resolve("ls62ab");
  const auto b = shipped().resolve("  LS6   2AB ");
  const auto c = shipped().resolve("ls6");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->lat, c->lat);
  EXPECT_EQ(b->lon, c->lon);
}

TEST(postcode_index_test, sub_district_falls_back_to_district_then_area) {
  const auto m = shipped().lookup("SW1A 1AA");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->matched, "SW1");
  const auto area_only = shipped().lookup("LS99 9ZZ");  // LS99 is not in the table
  ASSERT_TRUE(area_only);
  EXPECT_EQ(area_only->matched, "LS");
}

TEST(postcode_index_test, area_and_town_resolve) {
  const auto ls = shipped().resolve("LS");
  const auto leeds = shipped().resolve("leeds");
  ASSERT_TRUE(ls && leeds);
  EXPECT_EQ(ls->lat, leeds->lat);
  ASSERT_TRUE(shipped().resolve("Stoke-on-Trent"));
  const auto london = shipped().resolve("London");
  const auto edinburgh = shipped().resolve("Edinburgh");
  ASSERT_TRUE(london && edinburgh && leeds);
  // Sanity of the table's geography: Leeds-London about 270 km, London-Edinburgh about 530 km.
  EXPECT_NEAR(triage::distance_km(*leeds, *london), 272, 15);
  EXPECT_NEAR(triage::distance_km(*london, *edinburgh), 534, 15);
}

TEST(postcode_index_test, unknown_codes_do_not_resolve) {
  EXPECT_FALSE(shipped().resolve("ZZ9 9ZZ"));
  EXPECT_FALSE(shipped().resolve("QQ"));
  EXPECT_FALSE(shipped().resolve("Atlantis"));
  EXPECT_FALSE(shipped().resolve(""));
  EXPECT_FALSE(shipped().resolve("LS6 2AB'; --"));
}

TEST(postcode_index_test, bad_tables_are_refused_with_file_and_line) {
  triage_test::scratch_dir dir;
  auto error_of = [&](std::string_view text) -> std::string {
    const auto file = dir.write("table.csv", text);
    try {
      postcode_index::load(file);
    } catch (const triage::content_error& e) {
      return e.what();
    }
    return "loaded";
  };
  EXPECT_NE(error_of("postcode,lat,lon\nLS,53.8,-1.5\n").find("table.csv:1: header"),
            std::string::npos);
  EXPECT_NE(error_of("code,lat,lon\nLS,53.8,-1.5\nNOPE1,53,-1\n").find("table.csv:3:"),
            std::string::npos);
  EXPECT_NE(error_of("code,lat,lon\n# comment\nLS,153.8,-1.5\n").find("table.csv:3: latitude"),
            std::string::npos);
  EXPECT_NE(error_of("code,lat,lon\nLS6,53.8,-1.5\nls 6,53.8,-1.5\n").find("appears twice"),
            std::string::npos);
  EXPECT_NE(error_of("").find("no header"), std::string::npos);
  EXPECT_EQ(error_of("code,lat,lon,name\nLS,53.8,-1.5,Leeds\n"), "loaded");
}

TEST(postcode_index_test, earlier_table_wins_when_loading_several) {
  triage_test::scratch_dir dir;
  const auto precise = dir.write("precise.csv", "code,lat,lon\nLS6 2AB,53.81,-1.57\nLS6,53.82,-1.56\n");
  const auto coarse = dir.write("coarse.csv", "code,lat,lon,name\nLS6,50,-1\nLS,53.8,-1.5,Leeds\n");
  const auto index = postcode_index::load(std::vector<std::filesystem::path>{precise, coarse});
  EXPECT_EQ(index.size(), 3u);
  const auto m = index.lookup("ls62ab");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->approximate);
  EXPECT_EQ(m->matched, "LS6 2AB");
  EXPECT_NEAR(m->point.lat, 53.81, 1e-5);
  EXPECT_NEAR(index.resolve("LS6")->lat, 53.82, 1e-5);
  EXPECT_TRUE(index.resolve("Leeds"));
}

}  // namespace
