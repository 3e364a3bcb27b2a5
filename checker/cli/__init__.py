"""The ``barrierlab`` command: :mod:`.main` (parsing, exit statuses), :mod:`.output` (the one
module that prints), :mod:`.commands` (one module per subcommand)."""
