"""Pure helpers of the notifications app (no Django)."""
