"""Platform clients: one package per platform, each on the shared stream layer."""
