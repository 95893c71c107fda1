#include "triage/geo_point.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace triage {

double distance_km(geo_point a, geo_point b) noexcept {
  constexpr double earth_radius_km = 6371.0;
  constexpr double to_rad = std::numbers::pi / 180.0;
  const double dlat = (b.lat - a.lat) * to_rad;
  const double dlon = (b.lon - a.lon) * to_rad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * to_rad) * std::cos(b.lat * to_rad) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * earth_radius_km * std::asin(std::sqrt(std::min(1.0, h)));
}

}  // namespace triage
