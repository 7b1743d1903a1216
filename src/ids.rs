//! Opaque, stable, typed node IDs: a short type prefix and the row's UUID (`reg_0193…`).

use uuid::Uuid;

use crate::error::AppError;

macro_rules! node_kinds {
    ($($kind:ident => $prefix:literal),* $(,)?) => {
        /// The kinds of node in the graph; each ID says which one it names.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum NodeKind { $($kind),* }

        impl NodeKind {
            /// The ID prefix of this kind.
            pub fn prefix(self) -> &'static str {
                match self { $(Self::$kind => $prefix),* }
            }

            fn from_prefix(prefix: &str) -> Option<Self> {
                match prefix { $($prefix => Some(Self::$kind),)* _ => None }
            }
        }
    };
}

node_kinds! {
    Organisation => "org",
    Contact => "con",
    Party => "pty",
    Register => "reg",
    ProcessingActivity => "act",
    DataSubjectCategory => "dsc",
    PersonalDataCategory => "pdc",
    DataSource => "src",
    Recipient => "rcp",
    SecurityMeasure => "sec",
    Transfer => "trf",
    RetentionRule => "ret",
    Account => "acc",
    Membership => "mem",
    ApiToken => "tok",
    AuditEvent => "aud",
    Acknowledgement => "ack",
}

/// The public ID of a node.
pub fn encode(kind: NodeKind, id: Uuid) -> String {
    format!("{}_{}", kind.prefix(), id.simple())
}

/// The kind and UUID named by a public ID; `None` when it is not one of ours.
pub fn decode(id: &str) -> Option<(NodeKind, Uuid)> {
    let (prefix, rest) = id.split_once('_')?;
    let kind = NodeKind::from_prefix(prefix)?;
    let uuid = Uuid::try_parse(rest).ok()?;
    Some((kind, uuid))
}

/// The UUID of an ID that must name a node of `kind`; `field` names the argument for the error.
pub fn decode_as(kind: NodeKind, id: &str, field: &str) -> Result<Uuid, AppError> {
    match decode(id) {
        Some((k, uuid)) if k == kind => Ok(uuid),
        _ => Err(AppError::invalid(
            field,
            format!("must be the ID of a {kind:?} (`{}_…`)", kind.prefix()),
        )),
    }
}

/// A new, time-ordered row ID.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips_with_its_kind() {
        let uuid = new_id();
        let id = encode(NodeKind::Register, uuid);
        assert!(id.starts_with("reg_"));
        assert_eq!(decode(&id), Some((NodeKind::Register, uuid)));
    }

    #[test]
    fn foreign_or_broken_ids_decode_to_nothing() {
        assert_eq!(decode("reg_not-a-uuid"), None);
        assert_eq!(decode("xyz_0193a0a0a0a0a0a0a0a0a0a0a0a0a0a0"), None);
        assert_eq!(decode(""), None);
    }

    #[test]
    fn an_id_of_the_wrong_kind_names_the_field() {
        let id = encode(NodeKind::Contact, new_id());
        let err = decode_as(NodeKind::Register, &id, "registerId").unwrap_err();
        assert_eq!(
            err.to_string(),
            "registerId: must be the ID of a Register (`reg_…`)"
        );
    }
}
