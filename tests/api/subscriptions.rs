//! Change notifications: the `graphChanges` subscription over graphql-ws, in one process on
//! either backend, and across two `ropa serve` processes sharing one PostgreSQL database.

use std::net::SocketAddr;
use std::time::Duration;

use entity::Role;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::backend_test;
use crate::flows::load_flows;
use crate::helpers::{Backend, TestApp};

const CHANGES: &str = "subscription($o: String!, $t: [String!]) { graphChanges(organisation: $o, nodeTypes: $t) { organisationId nodeType nodeId action version registerId } }";

/// A graphql-ws client (the `graphql-transport-ws` protocol).
struct Subscriber {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// Why a connection did not become a subscriber.
#[derive(Debug)]
enum Refused {
    /// The upgrade was answered with this HTTP status.
    Http(u16),
    /// The server closed the connection instead of acknowledging it.
    Closed,
}

impl Subscriber {
    /// Connects to `/graphql/ws`, with `header` as the upgrade's bearer token and `init` as the
    /// `connection_init` payload, and waits for the acknowledgement.
    async fn connect(
        address: SocketAddr,
        header: Option<&str>,
        init: Value,
    ) -> Result<Self, Refused> {
        let mut request = format!("ws://{address}/graphql/ws")
            .into_client_request()
            .expect("a request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        if let Some(token) = header {
            request
                .headers_mut()
                .insert("authorization", format!("Bearer {token}").parse().unwrap());
        }
        let (ws, _) = match tokio_tungstenite::connect_async(request).await {
            Ok(connected) => connected,
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                return Err(Refused::Http(response.status().as_u16()))
            }
            Err(other) => panic!("connecting: {other}"),
        };
        let mut subscriber = Self { ws };
        subscriber
            .send(json!({ "type": "connection_init", "payload": init }))
            .await;
        match subscriber.message(Duration::from_secs(10)).await {
            Some(m) if m["type"] == json!("connection_ack") => Ok(subscriber),
            None => Err(Refused::Closed),
            Some(other) => panic!("expected connection_ack, got {other}"),
        }
    }

    async fn send(&mut self, message: Value) {
        self.ws
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("sent");
    }

    /// Starts the subscription `id` to the changes of `organisation`.
    async fn subscribe(&mut self, id: &str, organisation: &str, node_types: Option<Vec<&str>>) {
        self.send(json!({
            "id": id,
            "type": "subscribe",
            "payload": { "query": CHANGES, "variables": { "o": organisation, "t": node_types } }
        }))
        .await;
    }

    /// The next protocol message within `within`; none on timeout or when the server closes.
    async fn message(&mut self, within: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let next = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .ok()??;
            match next {
                Ok(Message::Text(text)) => {
                    let message: Value = serde_json::from_str(&text).expect("JSON");
                    if message["type"] == json!("ping") {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Some(message);
                }
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => continue,
            }
        }
    }

    /// The next change event within `within`; panics on any other message.
    async fn change(&mut self, within: Duration) -> Option<Value> {
        let message = self.message(within).await?;
        assert_eq!(message["type"], json!("next"), "{message}");
        assert!(message["payload"]["errors"].is_null(), "{message}");
        Some(message["payload"]["data"]["graphChanges"].clone())
    }
}

/// POSTs a GraphQL request to a server over HTTP/1.1; returns the status and the JSON body.
async fn post_graphql(
    address: SocketAddr,
    token: &str,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, body) = http(address, &request).await.expect("the server answers");
    (status, serde_json::from_str(&body).expect("JSON"))
}

/// Sends one raw HTTP/1.1 request (with `Connection: close`); returns the status and body.
async fn http(address: SocketAddr, request: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(address).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    // The body may come chunked; a JSON body is one chunk between its size line and the end.
    let body = match (body.find('{'), body.rfind('}')) {
        (Some(start), Some(end)) => body[start..=end].to_owned(),
        _ => body,
    };
    Ok((status, body))
}

/// Changes activity `key` of register `register` through the server at `address`; returns its
/// ID and new version.
async fn touch_activity(
    address: SocketAddr,
    token: &str,
    register: &str,
    key: &str,
) -> (String, i64) {
    let (_, read) = post_graphql(
        address,
        token,
        "query($r: String!) { organisation(slug: \"flows\") { register(slug: $r) { activities(first: 100) { nodes { id key version } } } } }",
        json!({ "r": register }),
    )
    .await;
    let activity = read["data"]["organisation"]["register"]["activities"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{read}"))
        .iter()
        .find(|a| a["key"] == json!(key))
        .expect("the activity")
        .clone();
    let (status, changed) = post_graphql(
        address,
        token,
        "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { id version } } }",
        json!({ "i": { "id": activity["id"], "version": activity["version"], "purpose": [{ "language": "en", "text": uuid::Uuid::new_v4().to_string() }] } }),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    let changed = &changed["data"]["updateProcessingActivity"]["processingActivity"];
    (
        changed["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{changed}"))
            .to_owned(),
        changed["version"].as_i64().unwrap(),
    )
}

/// Changes the activity through `writer` until `subscriber` hears of it (a subscription is live
/// some moments after it is asked for, and the protocol does not say when); returns the event
/// and the activity's ID and version.
async fn until_heard(
    subscriber: &mut Subscriber,
    writer: SocketAddr,
    token: &str,
    register: &str,
    key: &str,
) -> (Value, String, i64) {
    for _ in 0..20 {
        let (id, version) = touch_activity(writer, token, register, key).await;
        if let Some(event) = subscriber.change(Duration::from_secs(1)).await {
            // Events of earlier attempts (and other changes) may come first.
            let mut event = event;
            while event["nodeId"] != json!(id) || event["version"] != json!(version) {
                match subscriber.change(Duration::from_secs(2)).await {
                    Some(next) => event = next,
                    None => break,
                }
            }
            return (event, id, version);
        }
    }
    panic!("no change event within 20 attempts");
}

/// The error code when `message` refuses a subscription: an `error` message (bad input caught
/// before the resolver runs), or a `next` carrying only errors (the resolver refusing).
fn refusal(message: &Value) -> Option<&str> {
    let errors = match message["type"].as_str() {
        Some("error") => &message["payload"],
        Some("next") if message["payload"]["data"].is_null() => &message["payload"]["errors"],
        _ => return None,
    };
    errors[0]["extensions"]["code"].as_str()
}

/// Refused, or an `error` for the subscription and nothing more.
async fn hears_nothing(subscriber: &mut Subscriber) {
    while let Some(message) = subscriber.message(Duration::from_millis(500)).await {
        assert!(
            message["type"] != json!("next") || refusal(&message).is_some(),
            "{message}"
        );
    }
}

backend_test! {
    async fn subscribers_hear_of_the_changes_they_may_read(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 2, 2).await;
        let address = app.serve().await;
        let editor = app.token("flows", Role::Editor, None).await;
        let service = app.token("flows", Role::Service, None).await;
        let register_viewer = app.token("flows", Role::Viewer, Some("reg1")).await;
        let foreigner = app.token("other", Role::Admin, None).await;

        // The token in the connection_init payload, or in the upgrade's header.
        let mut all = Subscriber::connect(address, None, json!({ "Authorization": format!("Bearer {service}") })).await.expect("accepted");
        all.subscribe("1", "flows", None).await;
        let mut limited = Subscriber::connect(address, Some(&register_viewer), json!({})).await.expect("accepted");
        limited.subscribe("1", "flows", None).await;
        let mut transfers_only = Subscriber::connect(address, Some(&service), json!({})).await.expect("accepted");
        transfers_only.subscribe("1", "flows", Some(vec!["Recipient", "Transfer"])).await;

        let (event, id, version) = until_heard(&mut all, address, &editor, "reg0", "act0").await;
        let (_, register) = ropa::ids::decode(event["registerId"].as_str().unwrap()).unwrap();
        assert_eq!(event["nodeType"], json!("ProcessingActivity"));
        assert_eq!(event["nodeId"], json!(id));
        assert_eq!(event["action"], json!("UPDATE"));
        assert_eq!(event["version"], json!(version));
        assert!(event["organisationId"].as_str().unwrap().starts_with("org_"));
        let reg0 = entity::register::Entity::find_by_id(register);
        use sea_orm::EntityTrait;
        assert_eq!(reg0.one(&app.db).await.unwrap().unwrap().slug, "reg0");

        // The register viewer hears of its register only: once it hears reg1, it is live, and
        // a change to reg0 that `all` hears does not reach it.
        until_heard(&mut limited, address, &editor, "reg1", "act1").await;
        until_heard(&mut all, address, &editor, "reg0", "act1").await;
        hears_nothing(&mut limited).await;
        // Filtered to recipients and transfers: activities are not sent.
        hears_nothing(&mut transfers_only).await;

        // Another organisation's member, and anonymous callers, get an error and no events.
        let mut foreign = Subscriber::connect(address, Some(&foreigner), json!({})).await.expect("accepted");
        foreign.subscribe("1", "flows", None).await;
        let error = foreign.message(Duration::from_secs(5)).await.expect("an answer");
        assert_eq!(refusal(&error), Some("NOT_FOUND"), "{error}");
        let mut anonymous = Subscriber::connect(address, None, json!({})).await.expect("accepted");
        anonymous.subscribe("1", "flows", None).await;
        until_heard(&mut all, address, &editor, "reg0", "act0").await;
        hears_nothing(&mut foreign).await;
        hears_nothing(&mut anonymous).await;

        // A bad token: refused at the upgrade (header) or closed at connection_init (payload).
        assert!(matches!(Subscriber::connect(address, Some("ropa_nope"), json!({})).await, Err(Refused::Http(401))));
        assert!(matches!(Subscriber::connect(address, None, json!({ "Authorization": "Bearer ropa_nope" })).await, Err(Refused::Closed)));
        // An unknown node type is bad input.
        let mut bad = Subscriber::connect(address, Some(&service), json!({})).await.expect("accepted");
        bad.subscribe("1", "flows", Some(vec!["Nope"])).await;
        let error = bad.message(Duration::from_secs(5)).await.expect("an answer");
        assert_eq!(refusal(&error), Some("BAD_USER_INPUT"), "{error}");
        assert_eq!(error["payload"]["errors"][0]["extensions"]["field"], json!("nodeTypes"), "{error}");
    }

    async fn a_transfer_change_reaches_a_subscriber_filtered_to_transfers(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 1, 1).await;
        let address = app.serve().await;
        let editor = app.token("flows", Role::Editor, None).await;
        let mut transfers = Subscriber::connect(address, Some(&editor), json!({})).await.expect("accepted");
        transfers.subscribe("t", "flows", Some(vec!["Transfer"])).await;
        let (_, read) = post_graphql(address, &editor, "{ organisation(slug: \"flows\") { transfers(first: 1) { nodes { id } } } }", json!({})).await;
        let transfer = read["data"]["organisation"]["transfers"]["nodes"][0]["id"].clone();
        for version in 1..20 {
            let (status, body) = post_graphql(address, &editor,
                "mutation($i: UpdateTransferInput!) { updateTransfer(input: $i) { transfer { version } } }",
                json!({ "i": { "id": transfer, "version": version, "description": [{ "language": "en", "text": format!("v{version}") }] } })).await;
            assert_eq!(status, 200, "{body}");
            assert!(body["errors"].is_null(), "{body}");
            if let Some(event) = transfers.change(Duration::from_secs(1)).await {
                assert_eq!(event["nodeType"], json!("Transfer"));
                assert_eq!(event["nodeId"], transfer);
                return;
            }
        }
        panic!("no transfer event");
    }
}

/// A `ropa serve` process, killed when dropped (also when the test fails).
struct Server {
    child: std::process::Child,
    address: SocketAddr,
}

impl Server {
    fn start(database_url: &str) -> Self {
        // A port that was free a moment ago.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
            .args([
                "serve",
                "--database-url",
                database_url,
                "--listen",
                &address.to_string(),
            ])
            .env("ROPA_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("ropa serve starts");
        Self { child, address }
    }

    /// Waits until `/readyz` answers 200 (at most 60 s).
    async fn ready(&mut self) {
        let request = format!(
            "GET /readyz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        );
        for _ in 0..600 {
            if let Ok((200, _)) = http(self.address, &request).await {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("ropa serve exited: {status}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("ropa serve at {} not ready", self.address);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two instances on one PostgreSQL database: a change made through one reaches subscribers of
/// the other, and only those who may read it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_instance_reaches_subscribers_of_another() {
    let app = TestApp::spawn(Backend::Postgres).await;
    load_flows(&app, 2, 2).await;
    let editor = app.token("flows", Role::Editor, None).await;
    let viewer = app.token("flows", Role::Viewer, None).await;
    let foreigner = app.token("other", Role::Viewer, None).await;
    let mut first = Server::start(&app.url);
    let mut second = Server::start(&app.url);
    first.ready().await;
    second.ready().await;

    let mut subscriber = Subscriber::connect(
        first.address,
        None,
        json!({ "Authorization": format!("Bearer {viewer}") }),
    )
    .await
    .expect("accepted");
    subscriber.subscribe("1", "flows", None).await;
    let mut foreign = Subscriber::connect(first.address, Some(&foreigner), json!({}))
        .await
        .expect("accepted");
    foreign.subscribe("1", "flows", None).await;
    let mut anonymous = Subscriber::connect(first.address, None, json!({}))
        .await
        .expect("accepted");
    anonymous.subscribe("1", "flows", None).await;

    let started = std::time::Instant::now();
    let (event, id, version) =
        until_heard(&mut subscriber, second.address, &editor, "reg1", "act0").await;
    assert_eq!(event["nodeId"], json!(id));
    assert_eq!(event["version"], json!(version));
    assert_eq!(event["action"], json!("UPDATE"));
    assert!(started.elapsed() < Duration::from_secs(30));

    // The writer's own instance hears it too, by the same path.
    let mut local = Subscriber::connect(second.address, Some(&viewer), json!({}))
        .await
        .expect("accepted");
    local.subscribe("1", "flows", None).await;
    until_heard(&mut local, second.address, &editor, "reg0", "act1").await;

    for other in [&mut foreign, &mut anonymous] {
        let error = other
            .message(Duration::from_secs(5))
            .await
            .expect("an answer");
        assert_eq!(refusal(&error), Some("NOT_FOUND"), "{error}");
        hears_nothing(other).await;
    }
    drop((first, second));
}

/// Whether a subscriber with `token` hears of a change to a recipient of organisation `slug`
/// (made through the in-process router): the end-to-end read of `Subscription.graphChanges`.
pub async fn hears_changes(app: &TestApp, token: Option<&str>, slug: &str) -> bool {
    let address = app.serve().await;
    let mut subscriber = Subscriber::connect(address, token, json!({}))
        .await
        .expect("accepted");
    subscriber
        .subscribe("1", slug, Some(vec!["Recipient"]))
        .await;
    let admin = app.token(slug, Role::Admin, None).await;
    let read = "query($s: String!) { organisation(slug: $s) { recipients(first: 1) { nodes { id version } } } }";
    for _ in 0..20 {
        let data = app
            .graphql_as(Some(&admin), read, json!({ "s": slug }))
            .await;
        let recipient = &data["data"]["organisation"]["recipients"]["nodes"][0];
        let changed = app
            .graphql_as(
                Some(&admin),
                "mutation($i: UpdateRecipientInput!) { updateRecipient(input: $i) { recipient { id } } }",
                json!({ "i": { "id": recipient["id"], "version": recipient["version"], "description": [{ "language": "en", "text": uuid::Uuid::new_v4().to_string() }] } }),
            )
            .await;
        // Concurrent checks change the same recipient: a CONFLICT here means another change
        // went through, which the subscriber hears as well.
        let code = crate::helpers::error_code(&changed);
        assert!(code.is_empty() || code == "CONFLICT", "{changed}");
        match subscriber.message(Duration::from_secs(1)).await {
            Some(m) if refusal(&m).is_some() => return false,
            Some(m) if m["type"] == json!("next") => {
                return m["payload"]["data"]["graphChanges"]["nodeType"] == json!("Recipient")
            }
            Some(other) => panic!("unexpected {other}"),
            None => continue,
        }
    }
    false
}

/// The ID of the token `secret` (as its holder sees it).
async fn token_id(app: &TestApp, secret: &str) -> String {
    let actor = ropa::identity::authenticate(&app.db, secret)
        .await
        .expect("a valid token");
    ropa::ids::encode(ropa::ids::NodeKind::ApiToken, actor.token_id.unwrap())
}

/// Waits for the server to complete subscription `id`; returns how long it took.
async fn completed(subscriber: &mut Subscriber, id: &str, within: Duration) -> Duration {
    let started = std::time::Instant::now();
    loop {
        let left = within.saturating_sub(started.elapsed());
        match subscriber.message(left).await {
            Some(m) if m["type"] == json!("complete") && m["id"] == json!(id) => {
                return started.elapsed()
            }
            // Changes committed before the revocation may still arrive.
            Some(m) if m["type"] == json!("next") => continue,
            Some(other) => panic!("expected complete, got {other}"),
            None => panic!("subscription {id} not completed within {within:?}"),
        }
    }
}

backend_test! {
    async fn a_revoked_tokens_subscription_ends_within_a_second(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 1, 1).await;
        let address = app.serve().await;
        let editor = app.token("flows", Role::Editor, None).await;
        let admin = app.token("flows", Role::Admin, None).await;
        let viewer = app.token("flows", Role::Viewer, None).await;
        let mut revoked = Subscriber::connect(address, Some(&viewer), json!({})).await.expect("accepted");
        revoked.subscribe("1", "flows", None).await;
        let mut other = Subscriber::connect(address, Some(&editor), json!({})).await.expect("accepted");
        other.subscribe("2", "flows", None).await;
        until_heard(&mut revoked, address, &editor, "reg0", "act0").await;
        until_heard(&mut other, address, &editor, "reg0", "act0").await;

        let (status, body) = post_graphql(address, &admin,
            "mutation($t: ID!) { revokeToken(input: {tokenId: $t}) { status } }",
            json!({ "t": token_id(&app, &viewer).await })).await;
        assert_eq!((status, &body["data"]["revokeToken"]["status"]), (200, &json!("REVOKED")), "{body}");
        let took = completed(&mut revoked, "1", Duration::from_secs(1)).await;
        assert!(took < Duration::from_secs(1), "{took:?}");
        // Other subscribers go on.
        until_heard(&mut other, address, &editor, "reg0", "act0").await;
    }

    async fn an_expiring_tokens_subscription_ends_when_the_token_expires(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 1, 1).await;
        let address = app.serve().await;
        let editor = app.token("flows", Role::Editor, None).await;
        let viewer = app.token("flows", Role::Viewer, None).await;
        let account = ropa::identity::authenticate(&app.db, &viewer).await.unwrap().account_id.unwrap();
        let expires = chrono::Utc::now() + chrono::Duration::seconds(4);
        let (_, expiring) = ropa::identity::create_token_in(&app.db, account, None, "short", Some(expires)).await.unwrap();
        let mut subscriber = Subscriber::connect(address, Some(&expiring), json!({})).await.expect("accepted");
        subscriber.subscribe("1", "flows", None).await;
        until_heard(&mut subscriber, address, &editor, "reg0", "act0").await;
        let left = (expires - chrono::Utc::now()).to_std().unwrap_or_default();
        completed(&mut subscriber, "1", left + Duration::from_secs(1)).await;
        assert!(chrono::Utc::now() >= expires);
    }
}

/// On PostgreSQL the revocation travels over the notification channel: revoked with
/// `ropa token revoke` (another process), the token's subscription on a server ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_elsewhere_ends_its_subscription_on_every_instance() {
    let app = TestApp::spawn(Backend::Postgres).await;
    load_flows(&app, 1, 1).await;
    let editor = app.token("flows", Role::Editor, None).await;
    let viewer = app.token("flows", Role::Viewer, None).await;
    let mut server = Server::start(&app.url);
    server.ready().await;
    let mut subscriber = Subscriber::connect(server.address, Some(&viewer), json!({}))
        .await
        .expect("accepted");
    subscriber.subscribe("1", "flows", None).await;
    until_heard(&mut subscriber, server.address, &editor, "reg0", "act0").await;
    let id = token_id(&app, &viewer).await;
    let (code, _, err) = app.ropa(&["token", "revoke", &id]);
    assert_eq!(code, 0, "{err}");
    // Within a second of the command's commit.
    completed(&mut subscriber, "1", Duration::from_secs(1)).await;
    drop(server);
}
