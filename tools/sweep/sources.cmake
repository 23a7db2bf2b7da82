# Sources of the sweep/merge subcommands (issue 7); empty until they exist.
