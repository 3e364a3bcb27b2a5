"""The asyncio runtime: asyncio barriers run on a deterministic event loop of barrierlab's,
where the order of task steps, virtual time and cancellation are scheduling choices."""
