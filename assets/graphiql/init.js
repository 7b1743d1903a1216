// Starts GraphiQL on /graphiql with the service's endpoints, an example query and a template of
// the Authorization header. Served by the binary, as the scripts it loads are, so that the page
// works without the internet and its policy allows no inline script.
(function () {
  'use strict';
  var exampleQuery = [
    '# Every organisation you may read, with its registers.',
    '# Put your token in the Authorization header below (Headers), then run this (Ctrl-Enter).',
    '{',
    '  organisations {',
    '    nodes {',
    '      slug',
    '      name',
    '      businessId',
    '      registers {',
    '        nodes {',
    '          slug',
    '          kind',
    '          status',
    '          name { text(language: EN) { text language isFallback } }',
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  var headersTemplate = JSON.stringify({ Authorization: 'Bearer ropa_…' }, null, 2);
  var socket = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws';
  var fetcher = GraphiQL.createFetcher({ url: '/graphql', subscriptionUrl: socket });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: exampleQuery,
      defaultHeaders: headersTemplate,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
