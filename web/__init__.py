"""govkg's web layer (Flask). The UI arrives with the web issue; nothing here yet."""

__all__: list[str] = []
