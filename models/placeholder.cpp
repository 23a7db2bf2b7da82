namespace dcsim::models {}
