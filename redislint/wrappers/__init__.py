"""How Redis config arrives wrapped: Flux HelmReleases, Argo CD Applications, ConfigMaps and files."""
