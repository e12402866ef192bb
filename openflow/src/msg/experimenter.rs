//! STUB (owned by the simple-messages helper): replace this whole file.

super::stub_types!(Experimenter);

impl Experimenter {
    /// Title.
    pub fn title(&self) -> String {
        todo!()
    }
}
