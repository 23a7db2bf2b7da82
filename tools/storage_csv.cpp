// storage.csv: stored data per day × site × kind (personal, content) × copy (primary,
// replica): the stock at the day's end, how much of it is EEA users', and what changed it
// that day (writes, deletions, migration waves in and out, replica copies made or let go
// when a re-homing step changed the replica sites).
#include "tools/csv.hpp"
#include "tools/writers.hpp"

namespace dcsim::tools {

std::string storage_csv(const RunIdentity& id, const models::Metrics& m, const models::World& w) {
  const models::Scenario& s = w.scenario();
  std::string out = "run_id,scenario,variant,seed,day,day_start_utc,site,site_country,site_in_eea,kind,copy,stored_bytes,"
                    "eea_users_stored_bytes,written_bytes,deleted_bytes,migrated_in_bytes,migrated_out_bytes,replica_fill_bytes,replica_release_bytes\n";
  const std::string lead = row_lead(id);
  const std::size_t ns = w.sites().size(), per_day = ns * models::kStorageCells;
  if (per_day == 0) return out;
  const char* copies[models::kStorageCopies] = {"primary", "replica"};
  const char* kinds[models::kStorageKinds] = {"personal", "content"};
  for (std::size_t day = 0; day < m.storage.size() / per_day; ++day)
    for (std::size_t k = 0; k < ns; ++k)
      for (std::size_t kind = 0; kind < models::kStorageKinds; ++kind)
        for (std::size_t c = 0; c < models::kStorageCopies; ++c) {
          const models::StorageDay& d = m.storage[models::storage_index(day, ns, k, static_cast<models::StoredKind>(kind), c)];
          // A site that never held or received anything is left out (most candidates).
          if (d.stored_bytes == 0 && d.written_bytes == 0 && d.deleted_bytes == 0 && d.migrated_in_bytes == 0 && d.migrated_out_bytes == 0 &&
              d.replica_fill_bytes == 0 && d.replica_release_bytes == 0)
            continue;
          out += lead + std::to_string(day) + "," + utc_text(s.meta.start_utc_s + static_cast<std::int64_t>(day) * 86400) + "," +
                 csv_field(w.sites()[k].site->id) + "," + csv_field(w.sites()[k].site->country) + "," + (w.sites()[k].eea ? "1" : "0") +
                 "," + kinds[kind] + "," + copies[c] + "," + count(d.stored_bytes) + "," + count(d.eea_users_bytes) + "," +
                 count(d.written_bytes) + "," + count(d.deleted_bytes) + "," + count(d.migrated_in_bytes) + "," +
                 count(d.migrated_out_bytes) + "," + count(d.replica_fill_bytes) + "," + count(d.replica_release_bytes) + "\n";
        }
  return out;
}

}  // namespace dcsim::tools
