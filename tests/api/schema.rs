//! The checked-in SDL matches what the code serves.

#[test]
fn schema_graphql_matches_the_code() {
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
            .unwrap_or_default();
    let generated = ropa::graphql::sdl();
    assert!(
        checked_in == generated,
        "schema.graphql is out of date with the code; regenerate it with\n\n    cargo run -- schema > schema.graphql\n"
    );
}

#[test]
fn every_type_field_and_argument_is_documented() {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

    let document =
        async_graphql::parser::parse_schema(ropa::graphql::sdl()).expect("the SDL parses");
    let mut undocumented = Vec::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = ty.node;
        let name = ty.name.node.to_string();
        if ty.description.is_none() {
            undocumented.push(name.clone());
        }
        let fields = match &ty.kind {
            TypeKind::Object(o) => &o.fields,
            TypeKind::Interface(i) => &i.fields,
            TypeKind::Enum(e) => {
                for value in &e.values {
                    if value.node.description.is_none() {
                        undocumented.push(format!("{name}.{}", value.node.value.node));
                    }
                }
                continue;
            }
            TypeKind::InputObject(i) => {
                for field in &i.fields {
                    if field.node.description.is_none() {
                        undocumented.push(format!("{name}.{}", field.node.name.node));
                    }
                }
                continue;
            }
            _ => continue,
        };
        for field in fields {
            let field = &field.node;
            if field.description.is_none() {
                undocumented.push(format!("{name}.{}", field.name.node));
            }
            for arg in &field.arguments {
                if arg.node.description.is_none() {
                    undocumented.push(format!(
                        "{name}.{}({})",
                        field.name.node, arg.node.name.node
                    ));
                }
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "undocumented in the SDL: {undocumented:#?}"
    );
}
