"""Every write that matters, one function each.

Each action runs in a transaction, validates with full_clean(), records who acted
(simple_history's `_history_user`), and queues email only after commit. Admin,
commands and tasks call these; they never repeat the logic.
"""
