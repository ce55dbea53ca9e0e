"""One module per measurement; each has `run(ctx) -> list[Row]`."""
