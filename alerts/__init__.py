"""Following a case or a filtered list by email: double opt-in, alerts, one-click unsubscribe."""
