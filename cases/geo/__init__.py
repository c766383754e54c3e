"""Country shapes shipped with the project and the server-drawn world map."""
