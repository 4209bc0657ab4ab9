"""HTTP layer of the crew app: thin views, serializers, filters and schema examples."""
