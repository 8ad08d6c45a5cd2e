import { notFound, validationFailed } from './api-error.js';
import { renderRef, renderTagObject } from './render-git.js';
import { defineRoute, readRepoName, type Route } from './router.js';

/** Refs and annotated tags. */
export function createGitRoutes(): Route[] {
  return [
    defineRoute('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref}', (request, context) => {
      const repository = context.state.readRepository(readRepoName(request));
      const prefix = `refs/${request.params.ref ?? ''}`;
      const refs = context.state.data.refs
        .filter((r) => r.repo === repository.fullName && r.ref.startsWith(prefix))
        .sort((a, b) => a.ref.localeCompare(b.ref));
      return { status: 200, body: refs.map((r) => renderRef(context, r)) };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/git/ref/{ref}', (request, context) => {
      const repository = context.state.readRepository(readRepoName(request));
      const ref = context.state.data.refs.find(
        (r) => r.repo === repository.fullName && r.ref === `refs/${request.params.ref ?? ''}`,
      );
      if (!ref) throw notFound();
      return { status: 200, body: renderRef(context, ref) };
    }),
    defineRoute('POST', '/repos/{owner}/{repo}/git/refs', (request, context) => {
      const repo = readRepoName(request);
      const { ref, sha } = request.body;
      if (typeof ref !== 'string') throw validationFailed('Reference', 'ref');
      if (typeof sha !== 'string') throw validationFailed('Reference', 'sha');
      context.state.createRef({ repo, ref, sha });
      const created = context.state.data.refs.find(
        (r) => r.repo === context.state.readRepository(repo).fullName && r.ref === ref,
      );
      if (!created) throw notFound();
      return {
        status: 201,
        body: renderRef(context, created),
        headers: { location: `${context.apiUrl}/repos/${repo}/git/${ref}` },
      };
    }),
    defineRoute('GET', '/repos/{owner}/{repo}/git/tags/{tag_sha}', (request, context) => {
      const repository = context.state.readRepository(readRepoName(request));
      const tag = context.state.data.tagObjects.find(
        (t) => t.repo === repository.fullName && t.sha === request.params.tag_sha,
      );
      if (!tag) throw notFound();
      return { status: 200, body: renderTagObject(context, tag) };
    }),
  ];
}
