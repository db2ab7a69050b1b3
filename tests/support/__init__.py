"""Real processes for tests: redis-server (standalone, ACL, cluster) and the service."""
