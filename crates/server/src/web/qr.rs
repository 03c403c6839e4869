//! QR codes as inline SVG (drawn by the `qrcode` crate), for a phone to open a page
//! shown on a screen: the rating form at the window.

use qrcode::QrCode;
use qrcode::render::svg;

/// The SVG element of a QR code for `text`, without an XML declaration; none when the
/// text is too long for a QR code.
pub(crate) fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let drawn = code
        .render::<svg::Color<'_>>()
        .min_dimensions(180, 180)
        .quiet_zone(true)
        .build();
    let start = drawn.find("<svg")?;
    Some(drawn[start..].to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_becomes_an_svg_element() {
        let svg = super::qr_svg("http://127.0.0.1:8080/rate/visit/h/2026-12-01/A001");
        assert!(
            svg.as_deref()
                .is_some_and(|s| s.starts_with("<svg") && s.contains("<path"))
        );
    }
}
