// MPI glue for `dcsim sweep`: when dcsim is built with MPI (DCSIM_WITH_MPI) and started by
// an MPI launcher (mpirun, mpiexec, srun with PMI), the session initialises MPI and names
// this process's rank; otherwise it is a single rank and MPI is never touched, so plain
// `dcsim sweep` needs no launcher. Only the thread that made the session calls MPI.
#pragma once

namespace dcsim::tools {

class MpiSession {
 public:
  MpiSession();
  ~MpiSession();  ///< finalises MPI if this session initialised it
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  bool active() const { return active_; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  int local_size() const { return local_size_; }  ///< ranks on this machine

  /// Rank 0's `value`, on every rank.
  int broadcast(int value) const;
  /// Sum of `value` over the ranks, on every rank.
  long sum(long value) const;
  void barrier() const;

  /// True when this dcsim was built with MPI.
  static bool built_with_mpi();
  /// True when the environment shows an MPI launcher started this process.
  static bool launched_by_mpi();

 private:
  bool active_ = false;
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

}  // namespace dcsim::tools
