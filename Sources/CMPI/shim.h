// Open MPI (Debian's libopenmpi-dev) for the MPI module. mpi.h names its predefined handles through
// macros Swift cannot import (MPI_COMM_WORLD is `&ompi_mpi_comm_world`, a cast), so small inline
// functions hand them over.
#include <mpi.h>

static inline MPI_Comm tunesmith_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype tunesmith_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype tunesmith_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Op tunesmith_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op tunesmith_mpi_max(void) { return MPI_MAX; }
static inline int tunesmith_mpi_success(void) { return MPI_SUCCESS; }
static inline void *tunesmith_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int tunesmith_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int tunesmith_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
