// The min-max utilisation LP with GLPK's simplex.
#include "models/network/traffic_engineering.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include <glpk.h>

namespace dcsim::models {

namespace {

// GLPK keeps per-thread state only when built with thread-local storage; a lock keeps two
// resilience threads from ever sharing it. Solves are short and the answer does not depend
// on which thread solves first.
std::mutex& glpk_lock() {
  static std::mutex m;
  return m;
}

struct Problem {
  glp_prob* lp = glp_create_prob();
  ~Problem() { glp_delete_prob(lp); }
  Problem() = default;
  Problem(const Problem&) = delete;
  Problem& operator=(const Problem&) = delete;
};

void solve(glp_prob* lp, const char* step) {
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_OFF;
  const int rc = glp_simplex(lp, &parm);
  if (rc != 0 || glp_get_status(lp) != GLP_OPT)
    throw std::runtime_error(std::string("network.routing: min_max_utilisation: GLPK found no optimum in step ") + step +
                             " (glp_simplex returned " + std::to_string(rc) + ", status " + std::to_string(glp_get_status(lp)) + ")");
}

}  // namespace

TeSolution min_max_utilisation(const std::vector<TeDemand>& demands, const std::vector<double>& capacity) {
  TeSolution out;
  out.split.resize(demands.size());
  // Bytes/s in GB/s, so coefficients sit near 1.
  constexpr double kScale = 1e-9;
  // Columns: one per (demand, candidate) with two or more candidates, then U.
  std::vector<int> first_col(demands.size(), 0);
  int cols = 0;
  for (std::size_t d = 0; d < demands.size(); ++d) {
    const std::size_t n = demands[d].paths.size();
    out.split[d].assign(n, 0.0);
    if (n == 1) out.split[d][0] = 1;
    if (n >= 2 && demands[d].toward + demands[d].back > 0) {
      first_col[d] = cols + 1;
      cols += static_cast<int>(n);
    } else if (n >= 2) {
      out.split[d][0] = 1;  // nothing to carry: the shortest path
    }
  }
  if (cols == 0) return out;
  const int u_col = cols + 1;
  // Per directed link: the variable terms and the constant load.
  std::map<std::uint32_t, std::map<int, double>> terms;
  std::map<std::uint32_t, double> fixed;
  for (std::size_t d = 0; d < demands.size(); ++d) {
    const TeDemand& dm = demands[d];
    const double toward = dm.toward * kScale, back = dm.back * kScale;
    if (first_col[d] == 0) {  // a fixed route: its load is a constant wherever it goes
      for (std::size_t i = 0; i < dm.paths.size(); ++i)
        for (std::uint32_t l : dm.paths[i]) {
          fixed[l] += toward * out.split[d][i];
          fixed[l ^ 1U] += back * out.split[d][i];
        }
      continue;
    }
    // A link every candidate crosses (the same way) carries the demand whatever the split.
    std::map<std::uint32_t, std::size_t> crossings;
    for (const auto& p : dm.paths)
      for (std::uint32_t l : p) ++crossings[l];
    for (std::size_t i = 0; i < dm.paths.size(); ++i)
      for (std::uint32_t l : dm.paths[i]) {
        if (crossings[l] == dm.paths.size()) continue;
        if (toward > 0) terms[l][first_col[d] + static_cast<int>(i)] += toward;
        if (back > 0) terms[l ^ 1U][first_col[d] + static_cast<int>(i)] += back;
      }
    for (const auto& [l, c] : crossings)
      if (c == dm.paths.size()) {
        fixed[l] += toward;
        fixed[l ^ 1U] += back;
      }
  }
  std::lock_guard<std::mutex> lock(glpk_lock());
  glp_term_out(GLP_OFF);
  Problem prob;
  glp_prob* lp = prob.lp;
  glp_set_obj_dir(lp, GLP_MIN);
  glp_add_cols(lp, u_col);
  for (int j = 1; j <= u_col; ++j) glp_set_col_bnds(lp, j, GLP_LO, 0.0, 0.0);
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  int row = 0;
  for (std::size_t d = 0; d < demands.size(); ++d) {
    if (first_col[d] == 0) continue;
    row = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, row, GLP_FX, 1.0, 1.0);
    for (std::size_t i = 0; i < demands[d].paths.size(); ++i) {
      ia.push_back(row);
      ja.push_back(first_col[d] + static_cast<int>(i));
      ar.push_back(1.0);
    }
  }
  for (const auto& [l, vars] : terms) {
    const double cap = l < capacity.size() ? capacity[l] : INFINITY;
    if (!std::isfinite(cap) || vars.empty()) continue;
    const double base = fixed.count(l) ? fixed.at(l) : 0.0;
    row = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, row, GLP_UP, 0.0, -base);  // Σ d x - cap U <= -fixed
    for (const auto& [col, coef] : vars) {
      ia.push_back(row);
      ja.push_back(col);
      ar.push_back(coef);
    }
    ia.push_back(row);
    ja.push_back(u_col);
    ar.push_back(-std::max(cap * kScale, 1e-12));
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_scale_prob(lp, GLP_SF_AUTO);
  // Step 1: the least U.
  glp_set_obj_coef(lp, u_col, 1.0);
  solve(lp, "1 (least maximum utilisation)");
  const double u = glp_get_col_prim(lp, u_col);
  out.max_utilisation = u;
  // Step 2: U held (with a hair of slack for rounding), byte-weighted RTT least.
  glp_set_col_bnds(lp, u_col, GLP_DB, 0.0, u * (1 + 1e-7) + 1e-12);
  glp_set_obj_coef(lp, u_col, 0.0);
  for (std::size_t d = 0; d < demands.size(); ++d) {
    if (first_col[d] == 0) continue;
    const double bytes = (demands[d].toward + demands[d].back) * kScale;
    for (std::size_t i = 0; i < demands[d].paths.size(); ++i)
      glp_set_obj_coef(lp, first_col[d] + static_cast<int>(i), bytes * demands[d].rtt_ms[i]);
  }
  solve(lp, "2 (least byte-weighted RTT at that utilisation)");
  for (std::size_t d = 0; d < demands.size(); ++d) {
    if (first_col[d] == 0) continue;
    double sum = 0;
    auto& split = out.split[d];
    for (std::size_t i = 0; i < split.size(); ++i) {
      // Round off the solver's dust (1e-9 of a pair's bytes), then make the shares sum to 1.
      const double x = glp_get_col_prim(lp, first_col[d] + static_cast<int>(i));
      split[i] = x < 1e-9 ? 0.0 : x;
      sum += split[i];
    }
    if (sum > 0) {
      for (double& x : split) x /= sum;
    } else {
      split.assign(split.size(), 0.0);
      split[0] = 1;
    }
  }
  return out;
}

}  // namespace dcsim::models
