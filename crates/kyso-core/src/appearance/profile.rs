//! The organisation profile: the seal image, each person's signature image, the
//! organisation's name and default texts, kept in the user's config folder (`profile/`).
//! Images are copied there once and only ever read locally — never sent anywhere.

use std::path::{Path, PathBuf};

/// What the profile holds.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Profile {
    /// Organisation name (copy stamps).
    #[serde(default)]
    pub organization: Option<String>,
    /// Seal image file name inside the profile folder.
    #[serde(default)]
    pub seal: Option<String>,
    /// Signature images by person (certificate common name or any key the user chooses).
    #[serde(default)]
    pub signatures: std::collections::BTreeMap<String, String>,
    /// Default text lines for the approve role (empty: the signature image alone).
    #[serde(default)]
    pub approve_text: Vec<String>,
}

/// Why the profile cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("organisation profile: {0}")]
pub struct ProfileError(String);

fn dir(config: &Path) -> PathBuf {
    config.join("profile")
}

impl Profile {
    /// Reads the profile (empty when there is none).
    pub fn load(config: &Path) -> Result<Self, ProfileError> {
        match std::fs::read(dir(config).join("profile.json")) {
            Ok(d) => serde_json::from_slice(&d).map_err(|e| ProfileError(e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(ProfileError(e.to_string())),
        }
    }

    /// Writes the profile (temporary file + rename).
    pub fn save(&self, config: &Path) -> Result<(), ProfileError> {
        let d = dir(config);
        std::fs::create_dir_all(&d).map_err(|e| ProfileError(e.to_string()))?;
        let tmp = d.join("profile.json.part");
        let json = serde_json::to_vec_pretty(self).map_err(|e| ProfileError(e.to_string()))?;
        std::fs::write(&tmp, json).map_err(|e| ProfileError(e.to_string()))?;
        std::fs::rename(&tmp, d.join("profile.json")).map_err(|e| ProfileError(e.to_string()))
    }

    /// Copies `image` into the profile folder as `name` after checking it can be drawn;
    /// returns the stored file name.
    pub fn store_image(config: &Path, image: &Path, name: &str) -> Result<String, ProfileError> {
        let data = std::fs::read(image).map_err(|e| ProfileError(format!("{}: {e}", image.display())))?;
        super::visible::image_size_pt(&data).map_err(|e| ProfileError(e.to_string()))?;
        let ext = if data.starts_with(&[0xFF, 0xD8]) {
            "jpg"
        } else {
            "png"
        };
        let file = format!("{name}.{ext}");
        let d = dir(config);
        std::fs::create_dir_all(&d).map_err(|e| ProfileError(e.to_string()))?;
        std::fs::write(d.join(&file), data).map_err(|e| ProfileError(e.to_string()))?;
        Ok(file)
    }

    /// Bytes of a stored image.
    pub fn image(config: &Path, file: &str) -> Result<Vec<u8>, ProfileError> {
        if file.contains('/') || file.contains('\\') || file.contains("..") {
            return Err(ProfileError("bad image name".into()));
        }
        std::fs::read(dir(config).join(file)).map_err(|e| ProfileError(format!("{file}: {e}")))
    }

    /// The seal's bytes, if a seal is set.
    pub fn seal_image(&self, config: &Path) -> Result<Option<Vec<u8>>, ProfileError> {
        self.seal.as_deref().map(|f| Self::image(config, f)).transpose()
    }

    /// The signature image of `person`, if one is set.
    pub fn signature_image(&self, config: &Path, person: &str) -> Result<Option<Vec<u8>>, ProfileError> {
        self.signatures
            .get(person)
            .map(|f| Self::image(config, f))
            .transpose()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let cfg = tempfile::tempdir().unwrap();
        assert_eq!(Profile::load(cfg.path()).unwrap(), Profile::default());
        let bad = cfg.path().join("bad.png");
        std::fs::write(&bad, b"not an image").unwrap();
        assert!(Profile::store_image(cfg.path(), &bad, "seal").is_err());
        let p = Profile {
            organization: Some("UBND tỉnh Bắc Giang".into()),
            ..Profile::default()
        };
        p.save(cfg.path()).unwrap();
        assert_eq!(Profile::load(cfg.path()).unwrap(), p);
        assert!(Profile::image(cfg.path(), "../etc/passwd").is_err());
    }
}
