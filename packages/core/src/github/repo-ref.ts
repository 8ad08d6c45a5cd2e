/** A repository as the REST API addresses it. */
export interface RepoRef {
  owner: string;
  repo: string;
}
