// MPI calls behind DCSIM_WITH_MPI; without it every rank query answers "one process".
#include "tools/sweep/mpi_session.hpp"

#include <cstdlib>
#include <initializer_list>

#ifdef DCSIM_WITH_MPI
#include <mpi.h>
#endif

namespace dcsim::tools {

bool MpiSession::built_with_mpi() {
#ifdef DCSIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

bool MpiSession::launched_by_mpi() {
  // Open MPI's mpirun, MPICH/Hydra and Slurm's PMI-2, PMIx launchers.
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

MpiSession::MpiSession() {
#ifdef DCSIM_WITH_MPI
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &local_size_);
  MPI_Comm_free(&local);
#endif
}

MpiSession::~MpiSession() {
#ifdef DCSIM_WITH_MPI
  if (active_) MPI_Finalize();
#endif
}

int MpiSession::broadcast(int value) const {
#ifdef DCSIM_WITH_MPI
  if (active_) MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
  return value;
}

long MpiSession::sum(long value) const {
#ifdef DCSIM_WITH_MPI
  if (active_) {
    long total = 0;
    MPI_Allreduce(&value, &total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    return total;
  }
#endif
  return value;
}

void MpiSession::barrier() const {
#ifdef DCSIM_WITH_MPI
  if (active_) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

}  // namespace dcsim::tools
