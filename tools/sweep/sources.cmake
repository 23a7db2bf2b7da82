# Sources of the sweep/merge subcommands (issue 7), added to dcsim_cli. With an MPI library
# (Debian: libopenmpi-dev) and DCSIM_MPI=ON, `mpirun -np K dcsim sweep ...` spreads runs
# over ranks; without one, dcsim builds and sweeps the same, on one machine.
target_sources(dcsim_cli PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cmd_merge.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cmd_sweep.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mpi_session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_exec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_merge.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_plan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sweep_progress.cpp
)

# mpi_session.cpp carries its own compile definitions with MPI; it stays out of the unity
# batches with or without MPI, so the batches (and what each shares) do not depend on it.
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/mpi_session.cpp PROPERTY SKIP_UNITY_BUILD_INCLUSION ON)

option(DCSIM_MPI "Build dcsim sweep with MPI when an MPI library is found" ON)
set(DCSIM_SWEEP_MPIEXEC "" CACHE INTERNAL "mpiexec for the sweep tests; empty without MPI")
if(DCSIM_MPI)
  find_package(MPI COMPONENTS CXX)
  if(MPI_CXX_FOUND)
    target_link_libraries(dcsim_cli PRIVATE MPI::MPI_CXX)
    set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/mpi_session.cpp APPEND PROPERTY COMPILE_DEFINITIONS DCSIM_WITH_MPI OMPI_SKIP_MPICXX MPICH_SKIP_MPICXX)
    set(DCSIM_SWEEP_MPIEXEC "${MPIEXEC_EXECUTABLE}" CACHE INTERNAL "mpiexec for the sweep tests; empty without MPI")
    message(STATUS "dcsim sweep: MPI support (${MPI_CXX_LIBRARIES}; launcher ${MPIEXEC_EXECUTABLE})")
  else()
    message(STATUS "dcsim sweep: no MPI library found; sweeps run on one machine (shards still work)")
  endif()
endif()
