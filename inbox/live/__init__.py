"""Live updates of the chat rooms over WebSocket (Django Channels): the consumers, their routes, and
the after-commit receivers that push to them. docs/architecture.md "Live updates"."""
