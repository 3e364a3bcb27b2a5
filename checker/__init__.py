"""How it is checked: controlled runtime, schedulers, verdicts and output."""
