"""Audio side of CCFormer: the VGGish log-mel front end (`logmel`, numpy reference for the app's TypeScript
port) and the VGGish network (`vggish`). avsbench.md "Frame and audio sampling" and "VGGish network"."""
