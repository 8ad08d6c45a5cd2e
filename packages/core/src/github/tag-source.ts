import type { Octokit } from '../action/context.js';
import type { GitTag, TagSource } from '../tags/classify-tag.js';

/**
 * Lists tags through the GitHub API (git/matching-refs), so a workflow needs no
 * `fetch-depth: 0` checkout to know about earlier release candidates. The client is made
 * on first use, so runs that never list tags need no token.
 */
export function createGitHubTagSource(
  getOctokit: () => Promise<Octokit>,
  repo: { owner: string; repo: string },
): TagSource {
  let client: Promise<Octokit> | undefined;
  const octokit = () => (client ??= getOctokit());
  return {
    async listTags(prefix) {
      const api = await octokit();
      const refs = await api.paginate(api.rest.git.listMatchingRefs, {
        ...repo,
        ref: `tags/${prefix}`,
        per_page: 100,
      });
      return refs.map((ref): GitTag => ({
        name: ref.ref.replace(/^refs\/tags\//, ''),
        objectSha: ref.object.sha,
        objectType: ref.object.type === 'tag' ? 'tag' : 'commit',
      }));
    },
    async resolveTagObject(sha) {
      const { data } = await (await octokit()).rest.git.getTag({ ...repo, tag_sha: sha });
      return data.object.type === 'tag' ? this.resolveTagObject(data.object.sha) : data.object.sha;
    },
  };
}
