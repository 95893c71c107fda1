#include "net/metrics_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace helpline::net {

namespace {

enum metric_type { counter_type = 0, gauge_type = 1, histogram_type = 2 };

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    const bool digit = c >= '0' && c <= '9';
    if (!(alpha || (digit && i > 0))) return false;
  }
  return true;
}

void append_escaped(std::string& out, std::string_view text, bool quote_too) {
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quote_too) out += "\\\"";
    else out += c;
  }
}

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

// {a="x",b="y"} with an optional extra label (histogram "le"), or "" when there are none.
std::string render_labels(const metric_labels& labels, std::string_view extra_name = {},
                          std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return {};
  std::string out = "{";
  bool first = true;
  auto add = [&](std::string_view name, std::string_view value) {
    if (!first) out += ',';
    first = false;
    out.append(name);
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
  };
  for (const auto& [name, value] : labels) add(name, value);
  if (!extra_name.empty()) add(extra_name, extra_value);
  out += '}';
  return out;
}

}  // namespace

metric_histogram::metric_histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  if (bounds_.empty() || !std::is_sorted(bounds_.begin(), bounds_.end()) ||
      std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end() ||
      std::any_of(bounds_.begin(), bounds_.end(), [](double b) { return !std::isfinite(b); })) {
    throw std::invalid_argument("histogram buckets must be finite, strictly increasing and non-empty");
  }
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size());
}

void metric_histogram::observe(double value) noexcept {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  if (it != bounds_.end()) buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t metric_histogram::cumulative_count(std::size_t bucket) const noexcept {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bucket && i < bounds_.size(); ++i) total += buckets_[i].load(std::memory_order_relaxed);
  return total;
}

struct metrics_registry::family {
  struct child {
    metric_labels labels;
    std::string label_key;  // rendered labels, the identity of the child
    std::variant<std::unique_ptr<metric_counter>, std::unique_ptr<metric_gauge>, std::unique_ptr<metric_histogram>> metric;
  };
  std::string name;
  std::string help;
  int type = counter_type;
  std::vector<double> bounds;  // histograms only: every child has the same layout
  std::vector<child> children;

  child* find(const std::string& key) {
    for (auto& c : children) {
      if (c.label_key == key) return &c;
    }
    return nullptr;
  }
};

metrics_registry::metrics_registry() = default;
metrics_registry::~metrics_registry() = default;

metrics_registry::family& metrics_registry::family_for(std::string_view name, std::string_view help, int type) {
  if (!valid_name(name, true)) throw std::invalid_argument(fmt::format("invalid metric name '{}'", name));
  for (auto& f : families_) {
    if (f->name == name) {
      if (f->type != type || f->help != help) {
        throw std::invalid_argument(fmt::format("metric '{}' registered again with another type or help", name));
      }
      return *f;
    }
  }
  auto f = std::make_unique<family>();
  f->name = std::string(name);
  f->help = std::string(help);
  f->type = type;
  families_.push_back(std::move(f));
  return *families_.back();
}

namespace {
void check_labels(std::string_view metric, const metric_labels& labels) {
  for (const auto& [name, value] : labels) {
    (void)value;
    if (!valid_name(name, false) || name.starts_with("__") || name == "le") {
      throw std::invalid_argument(fmt::format("metric '{}': invalid label name '{}'", metric, name));
    }
  }
}
}  // namespace

metric_counter& metrics_registry::counter(std::string_view name, std::string_view help, const metric_labels& labels) {
  check_labels(name, labels);
  std::lock_guard lock(mutex_);
  family& f = family_for(name, help, counter_type);
  const std::string key = render_labels(labels);
  if (auto* c = f.find(key)) return *std::get<0>(c->metric);
  f.children.push_back({labels, key, std::make_unique<metric_counter>()});
  return *std::get<0>(f.children.back().metric);
}

metric_gauge& metrics_registry::gauge(std::string_view name, std::string_view help, const metric_labels& labels) {
  check_labels(name, labels);
  std::lock_guard lock(mutex_);
  family& f = family_for(name, help, gauge_type);
  const std::string key = render_labels(labels);
  if (auto* c = f.find(key)) return *std::get<1>(c->metric);
  f.children.push_back({labels, key, std::make_unique<metric_gauge>()});
  return *std::get<1>(f.children.back().metric);
}

metric_histogram& metrics_registry::histogram(std::string_view name, std::string_view help,
                                              const std::vector<double>& upper_bounds, const metric_labels& labels) {
  check_labels(name, labels);
  auto made = std::make_unique<metric_histogram>(upper_bounds);  // validates the buckets
  std::lock_guard lock(mutex_);
  family& f = family_for(name, help, histogram_type);
  if (f.children.empty()) f.bounds = upper_bounds;
  if (f.bounds != upper_bounds) {
    throw std::invalid_argument(fmt::format("histogram '{}' registered again with other buckets", name));
  }
  const std::string key = render_labels(labels);
  if (auto* c = f.find(key)) return *std::get<2>(c->metric);
  f.children.push_back({labels, key, std::move(made)});
  return *std::get<2>(f.children.back().metric);
}

std::string metrics_registry::render() const {
  static constexpr const char* type_names[] = {"counter", "gauge", "histogram"};
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& f : families_) {
    out += "# HELP ";
    out += f->name;
    out += ' ';
    append_escaped(out, f->help, false);
    out += "\n# TYPE ";
    out += f->name;
    out += ' ';
    out += type_names[f->type];
    out += '\n';
    for (const auto& c : f->children) {
      if (f->type == counter_type) {
        out += fmt::format("{}{} {}\n", f->name, c.label_key, format_number(std::get<0>(c.metric)->value()));
      } else if (f->type == gauge_type) {
        out += fmt::format("{}{} {}\n", f->name, c.label_key, format_number(std::get<1>(c.metric)->value()));
      } else {
        const auto& h = *std::get<2>(c.metric);
        // Read count first: buckets are then never above it for a concurrent observe().
        const std::uint64_t count = h.count();
        for (std::size_t i = 0; i < h.upper_bounds().size(); ++i) {
          out += fmt::format("{}_bucket{} {}\n", f->name,
                             render_labels(c.labels, "le", format_number(h.upper_bounds()[i])),
                             std::min(count, h.cumulative_count(i)));
        }
        out += fmt::format("{}_bucket{} {}\n", f->name, render_labels(c.labels, "le", "+Inf"), count);
        out += fmt::format("{}_sum{} {}\n", f->name, c.label_key, format_number(h.sum()));
        out += fmt::format("{}_count{} {}\n", f->name, c.label_key, count);
      }
    }
  }
  return out;
}

metrics_registry& default_metrics() {
  static metrics_registry registry;
  return registry;
}

}  // namespace helpline::net
