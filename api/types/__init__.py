"""GraphQL types, one module per domain; resolvers call ``srm.api.services`` through the
DataLoaders of :class:`srm.api.context.Context`."""
