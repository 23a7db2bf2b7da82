# Sources of the report subcommand (issue 9); empty until it exists.
