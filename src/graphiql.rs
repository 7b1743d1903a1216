//! GraphiQL at /graphiql, its scripts and styles served from the binary (pinned, vendored in
//! `assets/graphiql/` with their licences), so that it works without the internet, under a
//! policy that allows no inline script.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The page: the files below, and a root for GraphiQL to render into.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ropa: GraphiQL</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql-3.8.3.min.css">
<link rel="stylesheet" href="/graphiql/assets/page.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/assets/react-18.3.1.production.min.js"></script>
<script src="/graphiql/assets/react-dom-18.3.1.production.min.js"></script>
<script src="/graphiql/assets/graphiql-3.8.3.min.js"></script>
<script src="/graphiql/assets/init.js"></script>
</body>
</html>
"#;

/// Scripts and styles from this service only; GraphiQL's fonts are data URIs, and its editor
/// sets styles on elements, hence `style-src 'unsafe-inline'` (styles, never scripts).
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The full height of the window for GraphiQL.
const PAGE_CSS: &str = "html, body, #graphiql { height: 100%; margin: 0; }\n";

/// A served file: its name, media type, content, and whether its name carries its version (so
/// that it may be cached for good).
struct Asset {
    name: &'static str,
    media: &'static str,
    bytes: &'static [u8],
    versioned: bool,
}

const ASSETS: [Asset; 6] = [
    Asset {
        name: "graphiql-3.8.3.min.js",
        media: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/graphiql/graphiql-3.8.3.min.js"),
        versioned: true,
    },
    Asset {
        name: "graphiql-3.8.3.min.css",
        media: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/graphiql/graphiql-3.8.3.min.css"),
        versioned: true,
    },
    Asset {
        name: "react-18.3.1.production.min.js",
        media: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/graphiql/react-18.3.1.production.min.js"),
        versioned: true,
    },
    Asset {
        name: "react-dom-18.3.1.production.min.js",
        media: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/graphiql/react-dom-18.3.1.production.min.js"),
        versioned: true,
    },
    Asset {
        name: "init.js",
        media: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/graphiql/init.js"),
        versioned: false,
    },
    Asset {
        name: "page.css",
        media: "text/css; charset=utf-8",
        bytes: PAGE_CSS.as_bytes(),
        versioned: false,
    },
];

/// GET /graphiql.
pub async fn page() -> Response {
    (
        [(header::CONTENT_SECURITY_POLICY, POLICY)],
        axum::response::Html(PAGE),
    )
        .into_response()
}

/// GET /graphiql/assets/{file}.
pub async fn asset(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.name == file) else {
        return crate::guard::refusal(StatusCode::NOT_FOUND, "NOT_FOUND", "no such GraphiQL file");
    };
    let cache = if asset.versioned {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = asset.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.media));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page loads every file it names from here, and each vendored file is the one pinned.
    #[test]
    fn the_page_loads_only_files_the_binary_serves_and_they_are_the_pinned_ones() {
        for reference in PAGE.split("/graphiql/assets/").skip(1) {
            let name = &reference[..reference.find('"').unwrap()];
            assert!(ASSETS.iter().any(|a| a.name == name), "{name}");
        }
        assert!(!PAGE.contains("http"), "no file from elsewhere");
        let sums = include_str!("../assets/graphiql/SHA256SUMS");
        let mut pinned = 0;
        for line in sums.lines() {
            let (sum, name) = line.split_once("  ").unwrap();
            let asset = ASSETS.iter().find(|a| a.name == name).unwrap();
            use sha2::Digest;
            assert_eq!(
                hex::encode(sha2::Sha256::digest(asset.bytes)),
                sum,
                "{name}"
            );
            pinned += 1;
        }
        assert_eq!(pinned, ASSETS.iter().filter(|a| a.versioned).count());
    }
}
