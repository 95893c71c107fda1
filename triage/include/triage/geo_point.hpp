#pragma once
// A point on the Earth (WGS84 degrees) and the great-circle distance between two points.
namespace triage {

struct geo_point {
  double lat = 0, lon = 0;
};

// Haversine distance in kilometres (Earth radius 6371 km): good to well under 1% for distances
// that matter when choosing a programme to travel to.
double distance_km(geo_point a, geo_point b) noexcept;

}  // namespace triage
