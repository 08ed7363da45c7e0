/**
 * The CLIP encoder over ONNX Runtime: model-directory loading, tokenization, faithful image
 * preprocessing.
 */
module dev.tessera.encoders.onnx {
  requires transitive dev.tessera.api;
  requires static jdk.incubator.vector;
  requires com.microsoft.onnxruntime;
  requires ai.djl.tokenizers;
  requires ai.djl.api;
  requires java.desktop;
  requires org.slf4j;
  requires com.google.gson;

  exports dev.tessera.encoders.onnx;

  provides dev.tessera.api.spi.EncoderProvider with
      dev.tessera.encoders.onnx.OnnxEncoderProvider;
  provides dev.tessera.api.spi.RuntimeComponent with
      dev.tessera.encoders.onnx.OnnxEncoderRuntime;
}
