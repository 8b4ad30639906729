export interface Config {
  mlops?: {
    /** Settings of the MLOps scaffolder actions (`mlops:*`). */
    scaffolder?: {
      /** `mlops:publish:local`, the embedded default publisher. */
      localPublish?: {
        /**
         * Directory that locally published repos are placed under (one directory per repo).
         * Relative paths are taken from the backend's working directory. Only `file://` URLs
         * under this root are readable through the module's UrlReader.
         * Default: `backstage-mlops-repos` in the OS temp directory.
         */
        root?: string;
      };
      /** `mlops:manifests:validate`. */
      validation?: {
        /**
         * Path of a kubeconfig whose cluster validates rendered manifests with a server-side
         * dry-run apply (dryRun=All). Without it, validation needs no cluster.
         */
        kubeconfig?: string;
        /** Context of that kubeconfig; default its current context. */
        context?: string;
      };
    };
  };
}
