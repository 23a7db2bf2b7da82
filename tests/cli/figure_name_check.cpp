// Not built into any target: CTest compiles it with DCSIM_FIGURE set to a known figure name
// (must compile) and to a typo (must fail, naming the figure table). See CMakeLists.txt.
#include "models/run/summary.hpp"

double figure_of(const dcsim::models::Headline& h) { return h.get(DCSIM_FIGURE); }
