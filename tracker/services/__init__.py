"""Services: plain keyword-only functions taking `session` and `now`; they flush, never commit."""
